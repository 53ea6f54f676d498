using Azure.Storage.Queues.Models;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using PeerMatch.Email;
using PeerMatch.Functions.Hosting;
using PeerMatch.Functions.Settings;
using PeerMatch.Practitioners;

namespace PeerMatch.Functions.Email;

/// <summary>
/// Queue-triggered (<c>email</c>): claims one e-mail job, has the feature's composer write it, sends it.
/// A job already delivered is skipped, so a message seen twice (a crash after sending, a repeated
/// enqueue) sends once. When the e-mail service fails (a 429, a 5xx, a timeout), the failure is recorded
/// and the job queued again after a wait that grows, for up to two days, then recorded as failed; a
/// refusal of the message itself is recorded as failed at once. Any other fault (storage) throws, and the
/// queue tries again. Nothing is dropped in silence.
/// </summary>
public sealed class SendEmailFunction(
    IPractitionerRepository practitioners,
    ISuppressionList suppressions,
    DeliveryTable deliveries,
    QueuedEmailScheduler queue,
    IEnumerable<IEmailComposer> composers,
    IEmailSender sender,
    IOptions<PeerMatchOptions> options,
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
        // A kind nobody composes fails (and ends in the poison queue) without blocking its job id. The composer's own
        // declaration of the kind says whether it may reach an unsubscribed address (the queued job carries only its name).
        var composer = composers.FirstOrDefault(c => c.Kinds.Contains(job.Kind))
            ?? throw new NotSupportedException($"No composer for {job.Kind.Name} e-mail jobs.");
        var kind = composer.Kinds.First(k => k.Equals(job.Kind));
        job = job with { Kind = kind };
        if (!kind.ReachesUnsubscribed && await suppressions.IsSuppressedAsync(recipient.Profile.Email, cancellationToken))
        {
            // It may have been waiting on an outage when they unsubscribed: it is not tried again.
            await deliveries.SkipAsync(recipient.Id, job.JobId, "not sent: the address unsubscribed", cancellationToken);
            log.LogInformation("Job {Job}: the address unsubscribed; nothing sent", job.JobId);
            return;
        }
        if (!await deliveries.TryClaimAsync(recipient.Id, job.JobId, message.MessageId, cancellationToken))
        {
            log.LogInformation("Job {Job}: already sent, or being sent by another message", job.JobId);
            return;
        }

        if (await composer.ComposeAsync(job, recipient, cancellationToken) is not { } email)
        {
            // Its composer found nothing left to say: what it was about is gone (a peer who erased their profile) or settled since.
            await deliveries.SkipAsync(recipient.Id, job.JobId, "not sent: what it was about is gone or settled since", cancellationToken);
            log.LogInformation("Job {Job}: nothing left to say; nothing sent", job.JobId);
            return;
        }
        try
        {
            await sender.SendAsync(email, cancellationToken);
        }
        catch (EmailSendException failure)
        {
            if (await deliveries.RecordFailureAsync(recipient.Id, job, failure, options.Value.EmailRetryDelay, cancellationToken) is { } wait)
            {
                await queue.EnqueueAsync(job, wait, cancellationToken);
                log.LogWarning("Job {Job}: {Kind} not sent ({Error}); trying again in {Wait}", job.JobId, job.Kind.Name, failure.Message, wait);
            }
            else
            {
                log.LogError("Job {Job}: {Kind} not sent ({Error}); recorded as failed", job.JobId, job.Kind.Name, failure.Message);
            }
            return;
        }
        await deliveries.MarkSentAsync(recipient.Id, job.JobId, cancellationToken);
        log.LogInformation("Job {Job}: sent {Kind}", job.JobId, job.Kind.Name);
    }
}

/// <summary>
/// Timer-triggered: queues again every e-mail job waiting to be tried again whose queued retry is ten minutes overdue
/// (the message was lost: a crash between recording the failure and queueing the retry).
/// </summary>
public sealed class ResumeEmailsFunction(DeliveryTable deliveries, QueuedEmailScheduler queue, ILogger<ResumeEmailsFunction> log)
{
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(10);

    [Function("ResumeEmails"), DefaultSchedule("0 */10 * * * *")]
    public async Task RunAsync([TimerTrigger("%ResumeEmailsSchedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var overdue = await deliveries.OverdueRetriesAsync(Grace, cancellationToken);
        foreach (var job in overdue)
        {
            await queue.EnqueueAsync(job, delay: null, cancellationToken);
        }
        if (overdue.Count > 0)
        {
            log.LogInformation("Queued {Count} e-mail job(s) again", overdue.Count);
        }
    }
}
