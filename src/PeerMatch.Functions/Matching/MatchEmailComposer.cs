using PeerMatch.Email;
using PeerMatch.Functions.Email;
using PeerMatch.Functions.Links;
using PeerMatch.Intake;
using PeerMatch.Matching;

namespace PeerMatch.Functions.Matching;

/// <summary>The e-mails of matching: the weekly digest, the introduction, and its follow-up.</summary>
public sealed class MatchEmailComposer(
    IPractitionerRepository practitioners,
    ISuggestionStore suggestions,
    IWeekPlanStore plans,
    SuggestionAnswers answers,
    LinkSigner links) : IEmailComposer
{
    public IReadOnlyCollection<EmailKind> Kinds { get; } = [EmailKind.Digest, EmailKind.Introduction, EmailKind.FollowUp];

    public async Task<EmailMessage?> ComposeAsync(EmailJob job, Practitioner recipient, CancellationToken cancellationToken)
    {
        var manage = await links.ManageUrlAsync(recipient.Id, cancellationToken);
        var unsubscribe = await links.UnsubscribeUrlAsync(recipient.Profile.Email, cancellationToken);
        return job.Kind == EmailKind.Digest
            ? await DigestAsync(recipient, job.Context ?? throw new InvalidOperationException("A digest job names its week."), manage, unsubscribe, cancellationToken)
            : await AboutPeerAsync(job, recipient, manage, unsubscribe, cancellationToken);
    }

    private async Task<EmailMessage> DigestAsync(Practitioner recipient, string week, Uri manage, Uri unsubscribe, CancellationToken cancellationToken)
    {
        var entry = await plans.GetAsync(week, recipient.Id, cancellationToken);
        var items = new List<DigestItem>();
        // Only the plan's own run: rows left by a planning attempt that crashed are not this week's plan.
        foreach (var suggestion in (await suggestions.ForWeekAsync(recipient.Id, week, cancellationToken)).Where(s => s.RunId == entry?.RunId))
        {
            if (await practitioners.GetAsync(suggestion.PeerId, cancellationToken) is { } peer)
            {
                items.Add(new DigestItem(Reasons.FirstName(peer.Profile.Name), suggestion.Reasons,
                    await links.SuggestionUrlAsync(recipient.Id, suggestion.Id, cancellationToken)));
            }
        }
        return MatchEmails.Digest(recipient.Profile.Name, recipient.Profile.Email, items,
            entry?.NoSuggestionReason ?? "Those who suited you best this week have left PeerMatch since.", manage, unsubscribe);
    }

    /// <summary>An introduction or a follow-up: it names its suggestion, and nothing is sent once the peer is gone.</summary>
    private async Task<EmailMessage?> AboutPeerAsync(EmailJob job, Practitioner recipient, Uri manage, Uri unsubscribe, CancellationToken cancellationToken)
    {
        if (await answers.FindAsync(recipient.Id, job.Context ?? "", cancellationToken) is not { } found)
        {
            return null;
        }
        var (suggestion, peer) = found;
        var (name, email) = (recipient.Profile.Name, recipient.Profile.Email);
        return job.Kind == EmailKind.Introduction
            ? MatchEmails.Introduction(name, email, peer.Profile.Name, peer.Profile.Email, suggestion.Reasons, manage, unsubscribe)
            : MatchEmails.FollowUp(name, email, Reasons.FirstName(peer.Profile.Name),
                await links.FollowUpUrlAsync(recipient.Id, suggestion.Id, cancellationToken), manage, unsubscribe);
    }
}
