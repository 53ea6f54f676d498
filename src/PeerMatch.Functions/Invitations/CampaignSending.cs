using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using PeerMatch.Email;
using PeerMatch.Functions.Settings;
using PeerMatch.Invitations;
using PeerMatch.Practitioners;

namespace PeerMatch.Functions.Invitations;

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
    CampaignTable campaigns,
    SendingSlots slots,
    IPractitionerRepository practitioners,
    ISuppressionList suppressions,
    InvitationComposer composer,
    IBulkEmailSender sender,
    IOptions<PeerMatchOptions> options,
    IOptions<InvitationOptions> invitationOptions,
    TimeProvider clock,
    ILogger<CampaignSending> log)
{
    /// <summary>Attempts before a shard that keeps meeting 429s, 5xx or timeouts is recorded as failed (about 4 hours of waiting).</summary>
    public const int MaxAttempts = 10;

    /// <summary>How long a shard waits for its campaign's slot before it asks again.</summary>
    public static readonly TimeSpan SlotWait = TimeSpan.FromSeconds(2);

    public const string InDoubtReason = "The sending stopped during the request to the e-mail service, so whether it went out is not known.";

    public const string CountedAsSent = "Counted as sent by an organizer after the sending stopped during its request.";

    private TimeSpan Lease => options.Value.ClaimLease;

    /// <summary>Sends the shard, or finishes what a stopped worker left of it, once the campaign's slot is free.</summary>
    public async Task SendAsync(ShardMessage shard, CancellationToken cancellationToken)
    {
        var row = await campaigns.GetShardAsync(shard, cancellationToken);
        if (row?.GetString("State") is ShardStates.Sent or ShardStates.Failed)
        {
            await SettlePendingAsync(shard, row, cancellationToken); // recipients not all recorded when the worker stopped
        }
        if (row is null || ShardStates.IsSettled(row.GetString("State")))
        {
            return;
        }
        if (await slots.TryTakeSlotAsync(shard, clock.GetUtcNow(), Lease, cancellationToken) is not { } slot)
        {
            // Another of the campaign's shards (or this one, by another worker) is being sent: ask again shortly.
            await campaigns.EnqueueAsync(shard, SlotWait, cancellationToken);
            return;
        }
        using var held = new CancellationTokenSource();
        using var work = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, held.Token);
        var keeping = KeepSlotAsync(slot, held);
        try
        {
            // Read again now the slot is ours: whatever the last holder did is in it.
            if (await campaigns.GetShardAsync(shard, work.Token) is { } current && !ShardStates.IsSettled(current.GetString("State")))
            {
                await SendHeldAsync(shard, current, work.Token);
            }
        }
        finally
        {
            await held.CancelAsync();
            var renewed = await keeping;
            if (renewed is not null)
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
                await Task.Delay(Lease / 3, clock, held.Token);
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

    private async Task SendHeldAsync(ShardMessage shard, TableEntity row, CancellationToken cancellationToken)
    {
        var pending = await campaigns.PendingAsync(shard, cancellationToken);
        var post = await campaigns.GetPostAsync(shard.CampaignId, row.GetString("Post") ?? "", cancellationToken)
            ?? throw new InvalidOperationException($"Shard {shard.ShardId} of {shard.CampaignId} names no post.");
        var sentBefore = row.GetInt32(CampaignTable.SentBeforeCount) ?? 0;
        if (row.GetString("State") == ShardStates.Calling && pending.Count > 0)
        {
            if (await ResolveInterruptedAsync(shard, row, post, pending, cancellationToken) is not { } rest)
            {
                return; // in doubt: for an organizer to decide
            }
            sentBefore += pending.Count - rest.Count;
            pending = rest;
        }

        var recipients = await LeaveOutJoinedAndUnsubscribedAsync(shard, pending, cancellationToken);
        // Written with the shard's next state: those who had it before a stop, and those in this request; the rest were skipped.
        row[CampaignTable.SendingCount] = sentBefore + recipients.Count;

        if (recipients.Count > 0)
        {
            var email = await composer.ComposeAsync(post, recipients, MailingId(shard), cancellationToken);
            row["State"] = ShardStates.Calling;
            row["CallingAt"] = clock.GetUtcNow();
            if (!await campaigns.TryUpdateShardAsync(row, cancellationToken))
            {
                return; // another worker wrote the shard since it was read: it has it
            }
            try
            {
                await sender.SendAsync(email, cancellationToken);
            }
            catch (EmailSendException e) when (e.Transient)
            {
                await BackOffAsync(shard, row, e, cancellationToken);
                return;
            }
            catch (EmailSendException e)
            {
                log.LogWarning("Shard {Shard} of {Campaign} refused: {Error}", shard.ShardId, shard.CampaignId, e.Message);
                row["State"] = ShardStates.Failed;
                row["Error"] = e.Message;
                await campaigns.TryUpdateShardAsync(row, cancellationToken);
                await campaigns.SettleAsync(shard, recipients.Select(r => r.Key), RecipientStates.Failed, e.Message, cancellationToken);
                return;
            }
        }
        // One write says the request went through; the recipients' rows follow (a stop in between is settled by the next attempt).
        row["State"] = ShardStates.Sent;
        row["SentAt"] = clock.GetUtcNow();
        row["Error"] = null;
        await campaigns.TryUpdateShardAsync(row, CancellationToken.None);
        await campaigns.SettleAsync(shard, recipients.Select(r => r.Key), RecipientStates.Sent, null, CancellationToken.None);
        log.LogInformation("Shard {Shard} of {Campaign}: {Sent} sent, {Skipped} skipped", shard.ShardId, shard.CampaignId, recipients.Count, pending.Count - recipients.Count);
    }

    /// <summary>Whoever unsubscribed or signed up since the list was posted is not invited: recorded as skipped. The rest.</summary>
    private async Task<List<Invitee>> LeaveOutJoinedAndUnsubscribedAsync(ShardMessage shard, IReadOnlyList<Invitee> pending, CancellationToken cancellationToken)
    {
        var suppressed = await suppressions.SuppressedKeysAsync(cancellationToken);
        var members = await practitioners.KnownEmailKeysAsync(pending.Select(p => p.Key).ToList(), cancellationToken);
        var skipped = pending.Where(p => suppressed.Contains(p.Key) || members.Contains(p.Key)).Select(p => p.Key).ToHashSet();
        await campaigns.SettleAsync(shard, skipped, RecipientStates.Skipped, "Unsubscribed or signed up since the list was posted.", cancellationToken);
        return pending.Where(p => !skipped.Contains(p.Key)).ToList();
    }

    /// <summary>
    /// The last worker stopped during the shard's request: who has the message already? Those the sender can show to
    /// have it are recorded as sent, and the rest returned to send; when the sender cannot tell, the shard is recorded in
    /// doubt and null returned.
    /// </summary>
    private async Task<IReadOnlyList<Invitee>?> ResolveInterruptedAsync(ShardMessage shard, TableEntity row, CampaignPost post, IReadOnlyList<Invitee> pending, CancellationToken cancellationToken)
    {
        var interrupted = await composer.ComposeAsync(post, pending, MailingId(shard), cancellationToken);
        if (await sender.DeliveredAsync(interrupted, cancellationToken) is not { } delivered)
        {
            log.LogWarning("Shard {Shard} of {Campaign} was interrupted during its request; {Count} invitations in doubt", shard.ShardId, shard.CampaignId, pending.Count);
            row["State"] = ShardStates.InDoubt;
            row["Error"] = InDoubtReason;
            await campaigns.TryUpdateShardAsync(row, cancellationToken);
            return null;
        }
        var had = interrupted.Recipients.Zip(pending).Where(p => delivered.Contains(p.First.Id)).Select(p => p.Second.Key).ToHashSet(StringComparer.Ordinal);
        await campaigns.SettleAsync(shard, had, RecipientStates.Sent, null, cancellationToken);
        row[CampaignTable.SentBeforeCount] = (row.GetInt32(CampaignTable.SentBeforeCount) ?? 0) + had.Count;
        log.LogInformation("Shard {Shard} of {Campaign} was interrupted during its request: {Delivered} had it, {Rest} still to send", shard.ShardId, shard.CampaignId, had.Count, pending.Count - had.Count);
        return pending.Where(p => !had.Contains(p.Key)).ToList();
    }

    /// <summary>How a shard's request is known to the e-mail service (SendGrid's <c>custom_args</c>).</summary>
    public static string MailingId(ShardMessage shard) => $"{shard.CampaignId}/{shard.ShardId}";

    private async Task BackOffAsync(ShardMessage shard, TableEntity row, EmailSendException failure, CancellationToken cancellationToken)
    {
        var attempts = (row.GetInt32("Attempts") ?? 0) + 1;
        row["Attempts"] = attempts;
        row["Error"] = failure.Message;
        if (attempts >= MaxAttempts)
        {
            log.LogWarning("Shard {Shard} of {Campaign} failed {Attempts} times; recorded as failed: {Error}", shard.ShardId, shard.CampaignId, attempts, failure.Message);
            row["State"] = ShardStates.Failed;
            await campaigns.TryUpdateShardAsync(row, cancellationToken);
            await SettlePendingAsync(shard, row, cancellationToken);
            return;
        }
        var delay = failure.RetryDelay(attempts, invitationOptions.Value.InvitationRetryDelay);
        log.LogInformation("Shard {Shard} of {Campaign}: attempt {Attempts} failed ({Error}); next in {Delay}", shard.ShardId, shard.CampaignId, attempts, failure.Message, delay);
        // The request was answered (with a refusal to take it now): nothing of it went out.
        row["State"] = ShardStates.Pending;
        row["NextAttemptAt"] = clock.GetUtcNow() + delay;
        await campaigns.TryUpdateShardAsync(row, cancellationToken);
        await campaigns.EnqueueAsync(shard, delay, cancellationToken);
    }

    private async Task SettlePendingAsync(ShardMessage shard, TableEntity row, CancellationToken cancellationToken)
    {
        var state = row.GetString("State") == ShardStates.Sent ? RecipientStates.Sent : RecipientStates.Failed;
        var pending = await campaigns.PendingAsync(shard, cancellationToken);
        await campaigns.SettleAsync(shard, pending.Select(p => p.Key), state, state == RecipientStates.Failed ? row.GetString("Error") : null, cancellationToken);
    }

    /// <summary>
    /// An organizer's decision on a campaign's invitations in doubt: counted as sent (checked in the e-mail service's
    /// activity, or rather missed than doubled), or sent again (some may then get a second copy). Returns how many.
    /// </summary>
    public async Task<int> ResolveInDoubtAsync(string campaignId, bool sendAgain, CancellationToken cancellationToken)
    {
        var resolved = 0;
        foreach (var row in await campaigns.InDoubtAsync(campaignId, cancellationToken))
        {
            var shard = new ShardMessage(campaignId, row.RowKey["shard-".Length..]);
            var count = (row.GetInt32(CampaignTable.SendingCount) ?? 0) - (row.GetInt32(CampaignTable.SentBeforeCount) ?? 0);
            if (sendAgain)
            {
                // Sent again as if new: those who have had it since are skipped as usual, the rest get the request.
                row["State"] = ShardStates.Pending;
                row["Attempts"] = 0;
                row["NextAttemptAt"] = clock.GetUtcNow();
                row["Error"] = null;
                if (await campaigns.TryUpdateShardAsync(row, cancellationToken))
                {
                    await campaigns.EnqueueAsync(shard, null, cancellationToken);
                    resolved += count;
                }
            }
            else
            {
                row["State"] = ShardStates.Sent;
                row["Error"] = CountedAsSent;
                if (await campaigns.TryUpdateShardAsync(row, cancellationToken))
                {
                    var pending = await campaigns.PendingAsync(shard, cancellationToken);
                    await campaigns.SettleAsync(shard, pending.Select(p => p.Key), RecipientStates.Sent, CountedAsSent, cancellationToken);
                    resolved += count;
                }
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
        foreach (var (shard, row) in await campaigns.UnfinishedAsync(cancellationToken))
        {
            var since = row.GetString("State") == ShardStates.Pending ? row.GetDateTimeOffset("NextAttemptAt") : row.GetDateTimeOffset("CallingAt");
            if (since is null || now - since.Value >= Lease)
            {
                await campaigns.EnqueueAsync(shard, null, cancellationToken);
                resumed++;
            }
        }
        return resumed;
    }
}
