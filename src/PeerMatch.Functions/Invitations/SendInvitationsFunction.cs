using Azure.Storage.Queues.Models;
using Microsoft.Azure.Functions.Worker;
using PeerMatch.Functions.Hosting;
using PeerMatch.Invitations;

namespace PeerMatch.Functions.Invitations;

/// <summary>Queue-triggered (<c>invitations</c>): sends one shard of a campaign (<see cref="CampaignSending"/>).</summary>
public sealed class SendInvitationsFunction(CampaignSending sending, ILogger<SendInvitationsFunction> log)
{
    [Function("SendInvitations")]
    public async Task RunAsync([QueueTrigger(CampaignTable.QueueName)] QueueMessage message, CancellationToken cancellationToken)
    {
        if (CampaignTable.ParseMessage(message.Body.ToString()) is not { } shard)
        {
            log.LogWarning("Ignored message {Id}: not an invitation shard", message.MessageId);
            return;
        }
        await sending.SendAsync(shard, cancellationToken);
    }
}

/// <summary>
/// Timer-triggered: queues again every shard whose message was lost (a crash between recording and queueing) or whose
/// worker stopped mid-way, once its lease has lapsed.
/// </summary>
public sealed class ResumeInvitationsFunction(CampaignSending sending, ILogger<ResumeInvitationsFunction> log)
{
    [Function("ResumeInvitations"), DefaultSchedule("0 */10 * * * *")]
    public async Task RunAsync([TimerTrigger("%ResumeInvitationsSchedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        if (await sending.ResumeAsync(cancellationToken) is > 0 and var resumed)
        {
            log.LogInformation("Queued {Count} invitation shard(s) again", resumed);
        }
    }
}
