using Azure.Storage.Queues.Models;
using Microsoft.Azure.Functions.Worker;
using PeerMatch.Email;
using PeerMatch.Intake;

namespace PeerMatch.Functions.Email;

/// <summary>
/// Queue-triggered (<c>email</c>): claims one e-mail job, has the feature's composer write it, sends it.
/// A job already delivered is skipped, so a message seen twice (a crash after sending, a repeated
/// enqueue) sends once. A failure throws, and the queue tries again before the message goes to the
/// poison queue: nothing is dropped in silence.
/// </summary>
public sealed class SendEmailFunction(
    IPractitionerRepository practitioners,
    ISuppressionList suppressions,
    DeliveryTable deliveries,
    IEnumerable<IEmailComposer> composers,
    IEmailSender sender,
    ILogger<SendEmailFunction> log)
{
    [Function("SendEmail")]
    public async Task RunAsync([QueueTrigger(QueuedEmailScheduler.QueueName)] QueueMessage message, CancellationToken cancellationToken)
    {
        if (QueuedEmailScheduler.Parse(message.Body.ToString()) is not { } job)
        {
            log.LogWarning("Ignored message {Id}: not an e-mail job", message.MessageId);
            return;
        }
        var recipient = await practitioners.GetAsync(job.PractitionerId, cancellationToken);
        if (recipient is null)
        {
            log.LogInformation("Job {Job}: the practitioner no longer exists; nothing sent", job.JobId);
            return;
        }
        if (!job.Kind.ReachesUnsubscribed() && await suppressions.IsSuppressedAsync(recipient.Profile.Email, cancellationToken))
        {
            log.LogInformation("Job {Job}: the address unsubscribed; nothing sent", job.JobId);
            return;
        }
        // Before the claim: a kind nobody composes fails (and ends in the poison queue) without blocking its job id.
        var composer = composers.FirstOrDefault(c => c.Kinds.Contains(job.Kind))
            ?? throw new NotSupportedException($"No composer for {job.Kind.HeaderValue()} e-mail jobs.");
        if (!await deliveries.TryClaimAsync(recipient.Id, job.JobId, message.MessageId, cancellationToken))
        {
            log.LogInformation("Job {Job}: already sent, or being sent by another message", job.JobId);
            return;
        }

        if (await composer.ComposeAsync(job, recipient, cancellationToken) is not { } email)
        {
            log.LogInformation("Job {Job}: nothing left to say (the peer erased their profile); nothing sent", job.JobId);
            return;
        }
        await sender.SendAsync(email, cancellationToken);
        await deliveries.MarkSentAsync(recipient.Id, job.JobId, cancellationToken);
        log.LogInformation("Job {Job}: sent {Kind}", job.JobId, job.Kind.HeaderValue());
    }
}
