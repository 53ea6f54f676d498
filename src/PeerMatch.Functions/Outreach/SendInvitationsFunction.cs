using Azure.Data.Tables;
using Azure.Storage.Queues.Models;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using PeerMatch.Email;
using PeerMatch.Functions.Hosting;
using PeerMatch.Functions.Settings;
using PeerMatch.Intake;

namespace PeerMatch.Functions.Outreach;

/// <summary>
/// Queue-triggered (<c>invitations</c>): sends one shard of a campaign as one bulk request. A shard is claimed before
/// anything is sent (two workers on one shard: one sends), and marked "calling" just before the request, so a worker
/// that finds a shard abandoned mid-call knows it cannot tell whether it went out, and does not send it again. 429s
/// wait for their Retry-After, 5xx and timeouts back off, a refusal is recorded as failed.
/// </summary>
public sealed class SendInvitationsFunction(
    CampaignTable campaigns,
    IPractitionerRepository practitioners,
    ISuppressionList suppressions,
    InvitationComposer composer,
    IBulkEmailSender sender,
    IOptions<PeerMatchOptions> options,
    TimeProvider clock,
    ILogger<SendInvitationsFunction> log)
{
    /// <summary>How long a claim holds: a worker silent for longer has stopped.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(10);

    /// <summary>Attempts before a shard that keeps meeting 429s, 5xx or timeouts is recorded as failed (about 4 hours of waiting).</summary>
    public const int MaxAttempts = 10;

    public const string Uncertain = "The worker stopped during its request to the e-mail service, so whether it went out is unknown; not sent again, so that nobody gets it twice.";

    [Function("SendInvitations")]
    public async Task RunAsync([QueueTrigger(CampaignTable.QueueName)] QueueMessage message, CancellationToken cancellationToken)
    {
        if (CampaignTable.ParseMessage(message.Body.ToString()) is not { } shard)
        {
            log.LogWarning("Ignored message {Id}: not an invitation shard", message.MessageId);
            return;
        }
        await SendAsync(shard, $"{message.MessageId}/{message.DequeueCount}", cancellationToken);
    }

    /// <summary>Sends the shard, or settles what another worker left; <paramref name="claimant"/> names this attempt.</summary>
    public async Task SendAsync(ShardMessage shard, string claimant, CancellationToken cancellationToken)
    {
        if (await campaigns.GetShardAsync(shard, cancellationToken) is not { } row)
        {
            return;
        }
        var now = clock.GetUtcNow();
        var held = row.GetDateTimeOffset("ClaimedAt") is { } claimedAt && now - claimedAt < Lease;
        switch (row.GetString("State"))
        {
            case ShardStates.Sent:
            case ShardStates.Failed:
                // Sent or given up, but the recipients were not all recorded yet: record them.
                await SettlePendingAsync(shard, row, cancellationToken);
                return;
            case ShardStates.Calling when held:
            case ShardStates.Claimed when held && row.GetString("ClaimedBy") != claimant:
                return; // another worker has it
            case ShardStates.Calling:
                log.LogWarning("Shard {Shard} of {Campaign} was abandoned during its request; recorded as failed, not sent again", shard.ShardId, shard.CampaignId);
                row["State"] = ShardStates.Failed;
                row["Error"] = Uncertain;
                if (await campaigns.TryUpdateShardAsync(row, cancellationToken))
                {
                    await SettlePendingAsync(shard, row, cancellationToken);
                }
                return;
        }

        row["State"] = ShardStates.Claimed;
        row["ClaimedBy"] = claimant;
        row["ClaimedAt"] = now;
        if (!await campaigns.TryUpdateShardAsync(row, cancellationToken))
        {
            return; // another worker claimed it first
        }
        try
        {
            await SendClaimedAsync(shard, row, cancellationToken);
        }
        catch (Exception) when (row.GetString("State") == ShardStates.Claimed)
        {
            // Failed before any request (storage, composing): hand the shard back for the queue's next attempt.
            row["State"] = ShardStates.Pending;
            row["ClaimedAt"] = null;
            await campaigns.TryUpdateShardAsync(row, CancellationToken.None);
            throw;
        }
    }

    private async Task SendClaimedAsync(ShardMessage shard, TableEntity row, CancellationToken cancellationToken)
    {
        var pending = await campaigns.PendingAsync(shard, cancellationToken);
        // Whoever unsubscribed or signed up since the list was posted is not invited.
        var suppressed = await suppressions.SuppressedKeysAsync(cancellationToken);
        var members = await practitioners.KnownEmailKeysAsync(pending.Select(p => p.Key).ToList(), cancellationToken);
        var skipped = pending.Where(p => suppressed.Contains(p.Key) || members.Contains(p.Key)).Select(p => p.Key).ToHashSet();
        await campaigns.SettleAsync(shard, skipped, RecipientStates.Skipped, "Unsubscribed or signed up since the list was posted.", cancellationToken);
        var recipients = pending.Where(p => !skipped.Contains(p.Key)).ToList();
        // Written with the shard's next state: whoever is not in the request was skipped (now, or by an earlier attempt).
        row[CampaignTable.SendingCount] = recipients.Count;

        if (recipients.Count > 0)
        {
            var post = await campaigns.GetPostAsync(shard.CampaignId, row.GetString("Post") ?? "", cancellationToken)
                ?? throw new InvalidOperationException($"Shard {shard.ShardId} of {shard.CampaignId} names no post.");
            var email = await composer.ComposeAsync(post, recipients, cancellationToken);
            row["State"] = ShardStates.Calling;
            if (!await campaigns.TryUpdateShardAsync(row, cancellationToken))
            {
                return; // our claim lapsed and another worker took the shard over
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
        // One write says the request went through; the recipients' rows follow (a crash in between is settled by the next attempt).
        row["State"] = ShardStates.Sent;
        row["SentAt"] = clock.GetUtcNow();
        row["Error"] = null;
        await campaigns.TryUpdateShardAsync(row, CancellationToken.None);
        await campaigns.SettleAsync(shard, recipients.Select(r => r.Key), RecipientStates.Sent, null, CancellationToken.None);
        log.LogInformation("Shard {Shard} of {Campaign}: {Sent} sent, {Skipped} skipped", shard.ShardId, shard.CampaignId, recipients.Count, skipped.Count);
    }

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
        var delay = failure.RetryDelay(attempts, options.Value.InvitationRetryDelay);
        log.LogInformation("Shard {Shard} of {Campaign}: attempt {Attempts} failed ({Error}); next in {Delay}", shard.ShardId, shard.CampaignId, attempts, failure.Message, delay);
        row["State"] = ShardStates.Pending;
        row["ClaimedAt"] = null;
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
}

/// <summary>
/// Timer-triggered: queues again every shard whose message was lost (a crash between recording and queueing) or
/// whose worker stopped mid-way, once its claim has lapsed. The worker sorts out what each one needs.
/// </summary>
public sealed class ResumeInvitationsFunction(CampaignTable campaigns, TimeProvider clock, ILogger<ResumeInvitationsFunction> log)
{
    [Function("ResumeInvitations"), DefaultSchedule("0 */10 * * * *")]
    public async Task RunAsync([TimerTrigger("%ResumeInvitationsSchedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var resumed = 0;
        foreach (var (shard, row) in await campaigns.UnfinishedAsync(cancellationToken))
        {
            var since = row.GetString("State") == ShardStates.Pending ? row.GetDateTimeOffset("NextAttemptAt") : row.GetDateTimeOffset("ClaimedAt");
            if (since is null || now - since.Value >= SendInvitationsFunction.Lease)
            {
                await campaigns.EnqueueAsync(shard, null, cancellationToken);
                resumed++;
            }
        }
        if (resumed > 0)
        {
            log.LogInformation("Queued {Count} invitation shard(s) again", resumed);
        }
    }
}
