using Azure.Data.Tables;
using PeerMatch.Email;
using PeerMatch.Functions.Hosting;
using PeerMatch.Functions.Links;
using PeerMatch.Functions.Storage;
using PeerMatch.Intake;

namespace PeerMatch.Functions.Email;

/// <summary>
/// Queue-triggered: composes and sends one e-mail job. A job already delivered is skipped, so a
/// message seen twice (a crash after sending, a retried dequeue) sends once. A failure throws, and the
/// queue tries again with back-off before the message goes to the poison queue.
/// </summary>
public sealed class SendEmailFunction(
    IPractitionerRepository practitioners,
    ISuppressionList suppressions,
    IEmailSender sender,
    LinkSigner links,
    StorageAccount storage,
    TimeProvider clock) : IInvokedFunction
{
    public async Task<InvocationResult> InvokeAsync(Invocation invocation, CancellationToken cancellationToken)
    {
        var job = EmailJobScheduler.Parse(invocation.QueueMessage());
        if (job is null)
        {
            return InvocationResult.Log("Ignored a message that is not an e-mail job.");
        }

        var practitioner = await practitioners.GetAsync(job.PractitionerId, cancellationToken);
        if (practitioner is null)
        {
            return InvocationResult.Log($"Job {job.JobId}: the practitioner no longer exists; nothing sent.");
        }
        if (job.Kind != EmailKind.Confirmation && await suppressions.IsSuppressedAsync(practitioner.Profile.Email, cancellationToken))
        {
            return InvocationResult.Log($"Job {job.JobId}: the address unsubscribed; nothing sent.");
        }

        var deliveries = await storage.TableAsync(TableNames.Deliveries, cancellationToken);
        var sent = await deliveries.GetEntityIfExistsAsync<TableEntity>(practitioner.Id, job.JobId, ["PartitionKey"], cancellationToken);
        if (sent.HasValue)
        {
            return InvocationResult.Log($"Job {job.JobId}: already sent.");
        }

        var message = await ComposeAsync(job.Kind, practitioner, cancellationToken);
        await sender.SendAsync(message, cancellationToken);
        await deliveries.UpsertEntityAsync(
            new TableEntity(practitioner.Id, job.JobId) { ["Kind"] = job.Kind.HeaderValue(), ["SentAt"] = clock.GetUtcNow() },
            cancellationToken: cancellationToken);
        return InvocationResult.Log($"Job {job.JobId}: sent {job.Kind.HeaderValue()}.");
    }

    private async Task<EmailMessage> ComposeAsync(EmailKind kind, Practitioner practitioner, CancellationToken cancellationToken)
    {
        var profile = practitioner.Profile;
        return kind switch
        {
            EmailKind.Confirmation => IntakeEmails.Confirmation(profile.Name, profile.Email,
                await links.ConfirmUrlAsync(practitioner.Id, cancellationToken)),
            EmailKind.ManageLink => IntakeEmails.ManageLink(profile.Name, profile.Email,
                await links.ManageUrlAsync(practitioner.Id, cancellationToken),
                await links.UnsubscribeUrlAsync(profile.Email, cancellationToken)),
            _ => throw new NotSupportedException($"No composer for {kind.HeaderValue()} e-mail jobs yet."),
        };
    }
}
