using PeerMatch.Functions.Http;
using PeerMatch.Functions.Links;
using PeerMatch.Links;

namespace PeerMatch.Functions.Matching;

/// <summary>Matching's links: a suggestion's page and a follow-up's "did you meet?", each for one person and one suggestion.</summary>
public sealed class MatchingLinks(LinkSigner signer)
{
    public static readonly TokenPurpose Suggestion = new("Suggestion", TimeSpan.FromDays(28));

    public static readonly TokenPurpose FollowUp = new("FollowUp", TimeSpan.FromDays(28));

    /// <summary>A suggestion's page, and a follow-up's: the words when it leads nowhere.</summary>
    public static readonly LinkKind SuggestionLink = new("This suggestion is no longer available",
        "The person has left PeerMatch, or the suggestion was withdrawn. Your next weekly e-mail brings new suggestions.");

    /// <summary>A suggestion page link: the token names the recipient and the suggestion, so it opens nothing else.</summary>
    public Task<Uri> SuggestionUrlAsync(string practitionerId, string suggestionId, CancellationToken cancellationToken) =>
        signer.ScopedUrlAsync(MatchingRoutes.Suggestion, Suggestion, practitionerId, suggestionId, cancellationToken);

    /// <summary>The "did you meet?" link of a follow-up: same subject as the suggestion, its own purpose.</summary>
    public Task<Uri> FollowUpUrlAsync(string practitionerId, string suggestionId, CancellationToken cancellationToken) =>
        signer.ScopedUrlAsync(MatchingRoutes.FollowUp, FollowUp, practitionerId, suggestionId, cancellationToken);
}
