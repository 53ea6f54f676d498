using Azure;
using Azure.Data.Tables;
using PeerMatch.Email;
using PeerMatch.Functions.Hosting;
using PeerMatch.Functions.Links;
using PeerMatch.Functions.Matching;
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
    SuggestionTable suggestions,
    WeekPlanTable plans,
    TimeProvider clock) : IInvokedFunction
{
    public const string Name = "SendEmail";

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
        if (!await ClaimAsync(deliveries, practitioner.Id, job.JobId, invocation.MessageId, cancellationToken))
        {
            return InvocationResult.Log($"Job {job.JobId}: already sent, or being sent by another message.");
        }

        var message = await ComposeAsync(job, practitioner, cancellationToken);
        if (message is null)
        {
            return InvocationResult.Log($"Job {job.JobId}: nothing left to say (the peer erased their profile); nothing sent.");
        }
        await sender.SendAsync(message, cancellationToken);
        await deliveries.UpdateEntityAsync(
            new TableEntity(practitioner.Id, job.JobId) { ["State"] = "sent", ["SentAt"] = clock.GetUtcNow() }, ETag.All, TableUpdateMode.Merge, cancellationToken);
        return InvocationResult.Log($"Job {job.JobId}: sent {job.Kind.HeaderValue()}.");
    }

    /// <summary>
    /// Claims a job id for this queue message before sending. Another message with the same job id
    /// (a run that enqueued twice) finds the claim and sends nothing; a retry of this same message
    /// (the last attempt crashed before it could record the send) may send again.
    /// </summary>
    private async Task<bool> ClaimAsync(TableClient deliveries, string practitionerId, string jobId, string messageId, CancellationToken cancellationToken)
    {
        try
        {
            await deliveries.AddEntityAsync(new TableEntity(practitionerId, jobId)
            {
                ["State"] = "sending", ["ClaimedBy"] = messageId, ["ClaimedAt"] = clock.GetUtcNow(),
            }, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            var existing = await deliveries.GetEntityAsync<TableEntity>(practitionerId, jobId, cancellationToken: cancellationToken);
            return existing.Value.GetString("State") == "sending" && existing.Value.GetString("ClaimedBy") == messageId;
        }
    }

    private async Task<EmailMessage?> ComposeAsync(EmailJob job, Practitioner practitioner, CancellationToken cancellationToken)
    {
        var profile = practitioner.Profile;
        switch (job.Kind)
        {
            case EmailKind.Confirmation:
                return IntakeEmails.Confirmation(profile.Name, profile.Email, await links.ConfirmUrlAsync(practitioner.Id, cancellationToken));
            case EmailKind.ManageLink:
                return IntakeEmails.ManageLink(profile.Name, profile.Email,
                    await links.ManageUrlAsync(practitioner.Id, cancellationToken), await links.UnsubscribeUrlAsync(profile.Email, cancellationToken));
            case EmailKind.Digest:
            {
                var week = job.Context ?? throw new InvalidOperationException("A digest job names its week.");
                var entry = await plans.GetAsync(week, practitioner.Id, cancellationToken);
                var items = new List<DigestItem>();
                // Only the plan's own run: rows left by a planning attempt that crashed are not this week's plan.
                foreach (var suggestion in (await suggestions.ForWeekAsync(practitioner.Id, week, cancellationToken)).Where(s => s.RunId == entry?.RunId))
                {
                    if (await practitioners.GetAsync(suggestion.PeerId, cancellationToken) is { } peer)
                    {
                        items.Add(new DigestItem(PeerMatch.Matching.Reasons.FirstName(peer.Profile.Name), suggestion.Reasons,
                            await links.SuggestionUrlAsync(practitioner.Id, suggestion.Id, cancellationToken)));
                    }
                }
                return MatchEmails.Digest(profile.Name, profile.Email, items,
                    entry?.NoSuggestionReason ?? "Those who suited you best this week have left PeerMatch since.",
                    await links.ManageUrlAsync(practitioner.Id, cancellationToken), await links.UnsubscribeUrlAsync(profile.Email, cancellationToken));
            }
            case EmailKind.Introduction:
            {
                var (suggestion, peer) = await suggestions.WithPeerAsync(practitioner.Id, job.Context ?? "", practitioners, cancellationToken);
                if (suggestion is null || peer is null)
                {
                    return null;
                }
                return MatchEmails.Introduction(profile.Name, profile.Email, peer.Profile.Name, peer.Profile.Email, suggestion.Reasons,
                    await links.ManageUrlAsync(practitioner.Id, cancellationToken), await links.UnsubscribeUrlAsync(profile.Email, cancellationToken));
            }
            case EmailKind.FollowUp:
            {
                var (suggestion, peer) = await suggestions.WithPeerAsync(practitioner.Id, job.Context ?? "", practitioners, cancellationToken);
                if (suggestion is null || peer is null)
                {
                    return null;
                }
                return MatchEmails.FollowUp(profile.Name, profile.Email, PeerMatch.Matching.Reasons.FirstName(peer.Profile.Name),
                    await links.FollowUpUrlAsync(practitioner.Id, suggestion.Id, cancellationToken),
                    await links.ManageUrlAsync(practitioner.Id, cancellationToken), await links.UnsubscribeUrlAsync(profile.Email, cancellationToken));
            }
            default:
                throw new NotSupportedException($"No composer for {job.Kind.HeaderValue()} e-mail jobs yet.");
        }
    }
}
