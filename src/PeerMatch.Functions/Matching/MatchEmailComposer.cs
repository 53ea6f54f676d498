using PeerMatch.Email;
using PeerMatch.Functions.Email;
using PeerMatch.Functions.Intake;
using PeerMatch.Functions.Links;
using PeerMatch.Matching;
using PeerMatch.Practitioners;

namespace PeerMatch.Functions.Matching;

/// <summary>One suggestion as a digest shows it.</summary>
public sealed record DigestItem(string PeerName, IReadOnlyList<string> Reasons, Uri AnswerUrl);

/// <summary>The e-mails of matching: the weekly digest, the introduction, and its follow-up.</summary>
public sealed class MatchEmailComposer(
    IPractitionerRepository practitioners,
    ISuppressionList suppressions,
    ISuggestionStore suggestions,
    IWeekPlanStore plans,
    SuggestionAnswers answers,
    IntakeLinks intake,
    UnsubscribeLinks unsubscribes,
    MatchingLinks links,
    EmailRenderer renderer,
    TimeProvider clock) : IEmailComposer
{
    public IReadOnlyCollection<EmailKind> Kinds { get; } = [MatchingEmails.Digest, MatchingEmails.Introduction, MatchingEmails.FollowUp];

    public async Task<EmailMessage?> ComposeAsync(EmailJob job, Practitioner recipient, CancellationToken cancellationToken)
    {
        var footer = new EmailFooter(recipient.Profile.Name,
            await intake.ManageUrlAsync(recipient.Id, cancellationToken),
            await unsubscribes.UrlAsync(recipient.Profile.Email, cancellationToken));
        return job.Kind == MatchingEmails.Digest
            ? await DigestAsync(recipient, job.Context ?? throw new InvalidOperationException("A digest job names its week."), footer, cancellationToken)
            : await AboutPeerAsync(job, recipient, footer, cancellationToken);
    }

    private async Task<EmailMessage> DigestAsync(Practitioner recipient, string week, EmailFooter footer, CancellationToken cancellationToken)
    {
        var entry = await plans.GetAsync(week, recipient.Id, cancellationToken);
        var items = new List<DigestItem>();
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        // Only the plan's own runs: rows left by a planning attempt that crashed are not this week's plan.
        foreach (var suggestion in (await suggestions.ForWeekAsync(recipient.Id, week, cancellationToken)).Where(s => entry?.Includes(s) == true))
        {
            // The digest goes out hours after the plan, in the recipient's morning: a peer who erased their profile,
            // paused or unsubscribed since is not named.
            if (await practitioners.GetAsync(suggestion.PeerId, cancellationToken) is { } peer && Population.IsEligible(peer, today)
                && !await suppressions.IsSuppressedAsync(peer.Profile.Email, cancellationToken))
            {
                items.Add(new DigestItem(Reasons.FirstName(peer.Profile.Name), suggestion.Reasons,
                    await links.SuggestionUrlAsync(recipient.Id, suggestion.Id, cancellationToken)));
            }
        }
        var noneReason = entry?.NoSuggestionReason ?? "Those who suited you best this week have paused or left PeerMatch since.";
        return await renderer.MessageAsync<DigestEmail, DigestModel>(MatchingEmails.Digest, recipient, DigestEmail.Subject(items.Count),
            new DigestModel(footer, items, noneReason));
    }

    /// <summary>An introduction or a follow-up: it names its suggestion, and nothing is sent once the peer is gone.</summary>
    private async Task<EmailMessage?> AboutPeerAsync(EmailJob job, Practitioner recipient, EmailFooter footer, CancellationToken cancellationToken)
    {
        if (await answers.FindAsync(recipient.Id, job.Context ?? "", cancellationToken) is not { } found)
        {
            return null;
        }
        var (suggestion, peer) = found;
        if (job.Kind == MatchingEmails.Introduction)
        {
            return await renderer.MessageAsync<IntroductionEmail, IntroductionModel>(job.Kind, recipient, IntroductionEmail.Subject(peer.Profile.Name),
                new IntroductionModel(footer, peer.Profile.Name, peer.Profile.Email, suggestion.Reasons));
        }
        var first = Reasons.FirstName(peer.Profile.Name);
        return await renderer.MessageAsync<FollowUpEmail, FollowUpModel>(job.Kind, recipient, FollowUpEmail.Subject(first),
            new FollowUpModel(footer, first, await links.FollowUpUrlAsync(recipient.Id, suggestion.Id, cancellationToken)));
    }
}
