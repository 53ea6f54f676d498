using Microsoft.Extensions.Logging;
using PeerMatch.Email;
using PeerMatch.Practitioners;

namespace PeerMatch.Invitations;

/// <summary>
/// Sends a campaign's shards, each as one bulk request, so that a crash anywhere loses nothing and doubles nothing:
/// <list type="bullet">
/// <item>A campaign's shards go one at a time (its sending slot, renewed while the worker lives): a worker that stops
/// leaves at most one shard unfinished, and another takes the slot over once the stopped one's lease has lapsed.</item>
/// <item>A shard is marked "calling" just before its request. One found calling was interrupted during the request: the
/// sender is asked who has it already (the outbox knows what it wrote, and only the rest are sent), and where it cannot
/// tell (SendGrid), the shard is in doubt until an organizer counts it as sent or sends it again.</item>
/// <item>429s wait for their Retry-After, 5xx and timeouts back off, a refusal is recorded as failed.</item>
/// </list>
/// </summary>
public sealed class CampaignSending(
    ICampaignShards shards,
    ISendingSlots slots,
    IPractitionerRepository practitioners,
    ISuppressionList suppressions,
    IInvitationComposer composer,
    IBulkEmailSender sender,
    SendingTimes times,
    TimeProvider clock,
    ILogger<CampaignSending> log)
{
    /// <summary>Attempts before a shard that keeps meeting 429s, 5xx or timeouts is recorded as failed (about 4 hours of waiting).</summary>
    public const int MaxAttempts = 10;

    /// <summary>How long a shard waits for its campaign's slot before it asks again.</summary>
    public static readonly TimeSpan SlotWait = TimeSpan.FromSeconds(2);

    public const string InDoubtReason = "The sending stopped during the request to the e-mail service, so whether it went out is not known.";

    public const string CountedAsSent = "Counted as sent by an organizer after the sending stopped during its request.";

    public const string SkippedReason = "Unsubscribed or signed up since the list was posted.";

    /// <summary>How a shard's request is known to the e-mail service (SendGrid's <c>custom_args</c>).</summary>
    public static string MailingId(ShardMessage shard) => $"{shard.CampaignId}/{shard.ShardId}";

    /// <summary>Sends the shard, or finishes what a stopped worker left of it, once the campaign's slot is free.</summary>
    public async Task SendAsync(ShardMessage message, CancellationToken cancellationToken)
    {
        var shard = await shards.GetShardAsync(message, cancellationToken);
        if (shard?.State is ShardStates.Sent or ShardStates.Failed)
        {
            await SettlePendingAsync(shard, cancellationToken); // recipients not all recorded when the worker stopped
        }
        if (shard is null || ShardStates.IsSettled(shard.State))
        {
            return;
        }
        if (await slots.TryTakeSlotAsync(message, clock.GetUtcNow(), times.Lease, cancellationToken) is not { } slot)
        {
            // Another of the campaign's shards (or this one, by another worker) is being sent: ask again shortly.
            await shards.EnqueueAsync(message, SlotWait, cancellationToken);
            return;
        }
        using var held = new CancellationTokenSource();
        using var work = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, held.Token);
        var keeping = KeepSlotAsync(slot, held);
        try
        {
            // Read again now the slot is ours: whatever the last holder did is in it.
            if (await shards.GetShardAsync(message, work.Token) is { } current && !ShardStates.IsSettled(current.State))
            {
                await SendHeldAsync(current, work.Token);
            }
        }
        finally
        {
            await held.CancelAsync();
            if (await keeping is { } renewed)
            {
                await slots.ReleaseSlotAsync(renewed, CancellationToken.None);
            }
        }
    }

    /// <summary>
    /// Renews the slot every third of the lease until <paramref name="held"/> is cancelled; cancels it when the slot was
    /// taken over (this worker was silent too long). Returns the slot as last renewed, or null when it was lost.
    /// </summary>
    private async Task<SendingSlot?> KeepSlotAsync(SendingSlot slot, CancellationTokenSource held)
    {
        try
        {
            while (true)
            {
                await Task.Delay(times.Lease / 3, clock, held.Token);
                if (await slots.RenewSlotAsync(slot, clock.GetUtcNow(), held.Token) is not { } renewed)
                {
                    log.LogWarning("Lost the sending slot of {Campaign} (shard {Shard}): stopping", slot.CampaignId, slot.ShardId);
                    await held.CancelAsync();
                    return null;
                }
                slot = renewed;
            }
        }
        catch (OperationCanceledException)
        {
            return slot;
        }
        catch (Exception e)
        {
            // Storage did not answer: the slot may lapse; the shard's own conditional writes keep a second worker honest.
            log.LogWarning(e, "Could not renew the sending slot of {Campaign}", slot.CampaignId);
            return slot;
        }
    }

    private async Task SendHeldAsync(CampaignShard shard, CancellationToken cancellationToken)
    {
        var pending = await shards.PendingAsync(shard.Id, cancellationToken);
        var post = await shards.GetPostAsync(shard.Id.CampaignId, shard.PostId, cancellationToken)
            ?? throw new InvalidOperationException($"Shard {shard.Id.ShardId} of {shard.Id.CampaignId} names no post.");
        if (shard.State == ShardStates.Calling && pending.Count > 0)
        {
            if (await ResolveInterruptedAsync(shard, post, pending, cancellationToken) is not var (resolved, rest))
            {
                return; // in doubt: for an organizer to decide
            }
            (shard, pending) = (resolved, rest);
        }

        var recipients = await LeaveOutJoinedAndUnsubscribedAsync(shard.Id, pending, cancellationToken);
        // Written with the shard's next state: those who had it before a stop, and those in this request; the rest were skipped.
        shard = shard with { Sending = shard.SentBefore + recipients.Count };
        if (recipients.Count > 0)
        {
            var email = await composer.ComposeAsync(post, recipients, MailingId(shard.Id), cancellationToken);
            if (await shards.TryUpdateShardAsync(shard with { State = ShardStates.Calling, CallingAt = clock.GetUtcNow() }, cancellationToken) is not { } calling)
            {
                return; // another worker wrote the shard since it was read: it has it
            }
            shard = calling;
            if (!await TrySendAsync(shard, email, recipients, cancellationToken))
            {
                return;
            }
        }
        // One write says the request went through; the recipients' rows follow (a stop in between is settled by the next attempt).
        await shards.TryUpdateShardAsync(shard with { State = ShardStates.Sent, SentAt = clock.GetUtcNow(), Error = null }, CancellationToken.None);
        await shards.SettleAsync(shard.Id, recipients.Select(r => r.Key), RecipientStates.Sent, null, CancellationToken.None);
        log.LogInformation("Shard {Shard} of {Campaign}: {Sent} sent, {Skipped} skipped", shard.Id.ShardId, shard.Id.CampaignId, recipients.Count, pending.Count - recipients.Count);
    }

    /// <summary>The request: true when it went through; false when it was refused (recorded as failed) or is to be tried again later.</summary>
    private async Task<bool> TrySendAsync(CampaignShard shard, BulkEmail email, IReadOnlyList<Invitee> recipients, CancellationToken cancellationToken)
    {
        try
        {
            await sender.SendAsync(email, cancellationToken);
            return true;
        }
        catch (EmailSendException e) when (e.Transient)
        {
            await BackOffAsync(shard, e, cancellationToken);
            return false;
        }
        catch (EmailSendException e)
        {
            log.LogWarning("Shard {Shard} of {Campaign} refused: {Error}", shard.Id.ShardId, shard.Id.CampaignId, e.Message);
            await shards.TryUpdateShardAsync(shard with { State = ShardStates.Failed, Error = e.Message }, cancellationToken);
            await shards.SettleAsync(shard.Id, recipients.Select(r => r.Key), RecipientStates.Failed, e.Message, cancellationToken);
            return false;
        }
    }

    /// <summary>Whoever unsubscribed or signed up since the list was posted is not invited: recorded as skipped. The rest.</summary>
    private async Task<List<Invitee>> LeaveOutJoinedAndUnsubscribedAsync(ShardMessage shard, IReadOnlyList<Invitee> pending, CancellationToken cancellationToken)
    {
        var suppressed = await suppressions.SuppressedKeysAsync(cancellationToken);
        var members = await practitioners.KnownEmailKeysAsync(pending.Select(p => p.Key).ToList(), cancellationToken);
        var skipped = pending.Where(p => suppressed.Contains(p.Key) || members.Contains(p.Key)).Select(p => p.Key).ToHashSet();
        await shards.SettleAsync(shard, skipped, RecipientStates.Skipped, SkippedReason, cancellationToken);
        return pending.Where(p => !skipped.Contains(p.Key)).ToList();
    }

    /// <summary>
    /// The last worker stopped during the shard's request: who has the message already? Those the sender can show to
    /// have it are recorded as sent, and the shard (counting them) is returned with the rest to send; when the sender
    /// cannot tell, the shard is recorded in doubt and null returned.
    /// </summary>
    private async Task<(CampaignShard Shard, IReadOnlyList<Invitee> StillToSend)?> ResolveInterruptedAsync(
        CampaignShard shard, CampaignPost post, IReadOnlyList<Invitee> pending, CancellationToken cancellationToken)
    {
        var interrupted = await composer.ComposeAsync(post, pending, MailingId(shard.Id), cancellationToken);
        if (await sender.DeliveredAsync(interrupted, cancellationToken) is not { } delivered)
        {
            log.LogWarning("Shard {Shard} of {Campaign} was interrupted during its request; {Count} invitations in doubt", shard.Id.ShardId, shard.Id.CampaignId, pending.Count);
            await shards.TryUpdateShardAsync(shard with { State = ShardStates.InDoubt, Error = InDoubtReason }, cancellationToken);
            return null;
        }
        var had = interrupted.Recipients.Zip(pending).Where(p => delivered.Contains(p.First.Id)).Select(p => p.Second.Key).ToHashSet(StringComparer.Ordinal);
        await shards.SettleAsync(shard.Id, had, RecipientStates.Sent, null, cancellationToken);
        log.LogInformation("Shard {Shard} of {Campaign} was interrupted during its request: {Delivered} had it, {Rest} still to send", shard.Id.ShardId, shard.Id.CampaignId, had.Count, pending.Count - had.Count);
        return (shard with { SentBefore = shard.SentBefore + had.Count }, pending.Where(p => !had.Contains(p.Key)).ToList());
    }

    private async Task BackOffAsync(CampaignShard shard, EmailSendException failure, CancellationToken cancellationToken)
    {
        var attempts = shard.Attempts + 1;
        shard = shard with { Attempts = attempts, Error = failure.Message };
        if (attempts >= MaxAttempts)
        {
            log.LogWarning("Shard {Shard} of {Campaign} failed {Attempts} times; recorded as failed: {Error}", shard.Id.ShardId, shard.Id.CampaignId, attempts, failure.Message);
            var failed = shard with { State = ShardStates.Failed };
            await shards.TryUpdateShardAsync(failed, cancellationToken);
            await SettlePendingAsync(failed, cancellationToken);
            return;
        }
        var delay = failure.RetryDelay(attempts, times.FirstRetryDelay);
        log.LogInformation("Shard {Shard} of {Campaign}: attempt {Attempts} failed ({Error}); next in {Delay}", shard.Id.ShardId, shard.Id.CampaignId, attempts, failure.Message, delay);
        // The request was answered (with a refusal to take it now): nothing of it went out.
        await shards.TryUpdateShardAsync(shard with { State = ShardStates.Pending, NextAttemptAt = clock.GetUtcNow() + delay }, cancellationToken);
        await shards.EnqueueAsync(shard.Id, delay, cancellationToken);
    }

    /// <summary>A settled shard's recipients still recorded as pending: sent or failed with it.</summary>
    private async Task SettlePendingAsync(CampaignShard shard, CancellationToken cancellationToken)
    {
        var state = shard.State == ShardStates.Sent ? RecipientStates.Sent : RecipientStates.Failed;
        var pending = await shards.PendingAsync(shard.Id, cancellationToken);
        await shards.SettleAsync(shard.Id, pending.Select(p => p.Key), state, state == RecipientStates.Failed ? shard.Error : null, cancellationToken);
    }

    /// <summary>
    /// An organizer's decision on a campaign's invitations in doubt: counted as sent (checked in the e-mail service's
    /// activity, or rather missed than doubled), or sent again (some may then get a second copy). Returns how many.
    /// </summary>
    public async Task<int> ResolveInDoubtAsync(string campaignId, bool sendAgain, CancellationToken cancellationToken)
    {
        var resolved = 0;
        foreach (var shard in await shards.InDoubtAsync(campaignId, cancellationToken))
        {
            var count = (shard.Sending ?? 0) - shard.SentBefore;
            if (sendAgain)
            {
                // Sent again as if new: those who have had it since are skipped as usual, the rest get the request.
                var again = shard with { State = ShardStates.Pending, Attempts = 0, NextAttemptAt = clock.GetUtcNow(), Error = null };
                if (await shards.TryUpdateShardAsync(again, cancellationToken) is not null)
                {
                    await shards.EnqueueAsync(shard.Id, null, cancellationToken);
                    resolved += count;
                }
            }
            else if (await shards.TryUpdateShardAsync(shard with { State = ShardStates.Sent, Error = CountedAsSent }, cancellationToken) is not null)
            {
                var pending = await shards.PendingAsync(shard.Id, cancellationToken);
                await shards.SettleAsync(shard.Id, pending.Select(p => p.Key), RecipientStates.Sent, CountedAsSent, cancellationToken);
                resolved += count;
            }
        }
        return resolved;
    }

    /// <summary>
    /// Queues again every shard still to send whose message may be lost (a stop between recording and queueing, or a
    /// worker that stopped): pending past its next attempt, or calling for longer than a lease. The worker sorts out
    /// what each needs; a shard queued twice is sent once.
    /// </summary>
    public async Task<int> ResumeAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var resumed = 0;
        foreach (var shard in await shards.UnfinishedAsync(cancellationToken))
        {
            var since = shard.State == ShardStates.Pending ? shard.NextAttemptAt : shard.CallingAt;
            if (since is null || now - since.Value >= times.Lease)
            {
                await shards.EnqueueAsync(shard.Id, null, cancellationToken);
                resumed++;
            }
        }
        return resumed;
    }
}
