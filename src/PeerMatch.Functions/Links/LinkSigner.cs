using Microsoft.Extensions.Options;
using PeerMatch.Functions.Settings;
using PeerMatch.Links;
using PeerMatch.Practitioners;

namespace PeerMatch.Functions.Links;

/// <summary>Issues and checks the tokens in e-mailed links, with the key kept in storage.</summary>
public sealed class LinkSigner(SigningKeyStore keys, TimeProvider clock, IOptions<PeerMatchOptions> options)
{
    public PublicLinks Links { get; } = new(options.Value.PublicBaseUrl);

    public async Task<string> IssueAsync(TokenPurpose purpose, string subject, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var key = await keys.GetAsync(cancellationToken);
        return LinkToken.Create(key, purpose, subject, clock.GetUtcNow() + lifetime);
    }

    /// <summary>Whether the token is valid for <paramref name="purpose"/> (with its subject), expired, or not a token of ours.</summary>
    public async Task<(TokenState State, string Subject)> CheckAsync(string? token, TokenPurpose purpose, CancellationToken cancellationToken)
    {
        if (!LinkToken.IsWellFormed(token))
        {
            return (TokenState.Invalid, "");
        }
        var key = await keys.GetAsync(cancellationToken);
        var state = LinkToken.Check(key, token, purpose, clock.GetUtcNow(), out var subject);
        return (state, subject);
    }

    /// <summary>The practitioner a link opens, or what is wrong with the link.</summary>
    public async Task<(Practitioner? Practitioner, Http.LinkProblem Problem)> OpenAsync(string? token, TokenPurpose purpose, IPractitionerRepository repository, CancellationToken cancellationToken)
    {
        var (state, id) = await CheckAsync(token, purpose, cancellationToken);
        if (state != TokenState.Valid)
        {
            return (null, Http.LinkProblems.From(state));
        }
        return await repository.GetAsync(id, cancellationToken) is { } practitioner ? (practitioner, default) : (null, Http.LinkProblem.Gone);
    }

    /// <summary>A confirmation link: for the first sign-up of an address, or for a later one kept beside it (<paramref name="submissionId"/>).</summary>
    public async Task<Uri> ConfirmUrlAsync(string practitionerId, string? submissionId, CancellationToken cancellationToken) =>
        Links.Confirm(await IssueAsync(TokenPurpose.Confirm, submissionId is null ? practitionerId : $"{practitionerId}:{submissionId}", LinkToken.ConfirmLifetime, cancellationToken));

    /// <summary>The practitioner and, for a later sign-up, the submission a confirmation token stands for.</summary>
    public static (string PractitionerId, string? SubmissionId) ConfirmationSubject(string subject) =>
        subject.Split(':') is [var id, var submission] ? (id, submission) : (subject, null);

    public async Task<Uri> ManageUrlAsync(string practitionerId, CancellationToken cancellationToken) =>
        Links.Manage(await IssueAsync(TokenPurpose.Manage, practitionerId, LinkToken.ManageLifetime, cancellationToken));

    /// <summary>A suggestion page link: the token names the recipient and the suggestion, so it opens nothing else.</summary>
    public async Task<Uri> SuggestionUrlAsync(string practitionerId, string suggestionId, CancellationToken cancellationToken) =>
        Links.Suggestion(suggestionId, await IssueAsync(TokenPurpose.Suggestion, ScopedSubject(practitionerId, suggestionId), LinkToken.SuggestionLifetime, cancellationToken));

    /// <summary>The "did you meet?" link of a follow-up: same subject as the suggestion, its own purpose.</summary>
    public async Task<Uri> FollowUpUrlAsync(string practitionerId, string suggestionId, CancellationToken cancellationToken) =>
        Links.FollowUp(suggestionId, await IssueAsync(TokenPurpose.FollowUp, ScopedSubject(practitionerId, suggestionId), LinkToken.FollowUpLifetime, cancellationToken));

    /// <summary>A token's subject when it opens one thing (a suggestion, a group) for one person.</summary>
    public static string ScopedSubject(string practitionerId, string thingId) => $"{practitionerId}:{thingId}";

    /// <summary>A member's group page link: the token names the member and the group, so it opens nothing else.</summary>
    public async Task<Uri> GroupUrlAsync(string practitionerId, string groupId, CancellationToken cancellationToken) =>
        Links.Group(groupId, await IssueAsync(TokenPurpose.Group, ScopedSubject(practitionerId, groupId), LinkToken.GroupLifetime, cancellationToken));

    /// <summary>The "has your group met?" link of a check-in.</summary>
    public async Task<Uri> GroupCheckInUrlAsync(string practitionerId, string groupId, CancellationToken cancellationToken) =>
        Links.GroupCheckIn(groupId, await IssueAsync(TokenPurpose.GroupCheckIn, ScopedSubject(practitionerId, groupId), LinkToken.GroupCheckInLifetime, cancellationToken));

    /// <summary>
    /// The practitioner a token about one thing (a suggestion, a follow-up, a group) was issued to, when it is valid for
    /// <paramref name="thingId"/>.
    /// </summary>
    public async Task<(TokenState State, string PractitionerId)> CheckScopedAsync(string? token, TokenPurpose purpose, string thingId, CancellationToken cancellationToken)
    {
        var (state, subject) = await CheckAsync(token, purpose, cancellationToken);
        var separator = subject.IndexOf(':', StringComparison.Ordinal);
        return state != TokenState.Valid ? (state, "")
            : separator > 0 && subject[(separator + 1)..] == thingId ? (state, subject[..separator])
            : (TokenState.Invalid, "");
    }

    /// <summary>
    /// Unsubscribe links name the address (by its hash), not a profile: they keep working after an
    /// erase, and serve invitees who have no profile.
    /// </summary>
    public async Task<Uri> UnsubscribeUrlAsync(string email, CancellationToken cancellationToken) =>
        Links.Unsubscribe(await IssueAsync(TokenPurpose.Unsubscribe, EmailAddresses.Key(email), LinkToken.UnsubscribeLifetime, cancellationToken));
}
