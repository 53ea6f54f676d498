using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using PeerMatch.Functions.Http;
using PeerMatch.Functions.Intake;
using PeerMatch.Functions.Links;
using PeerMatch.Links;
using PeerMatch.Matching;
using PeerMatch.Places;
using PeerMatch.Practitioners;

namespace PeerMatch.Functions.Matching;

public sealed record AnswerRecorded(string Answer, bool Introduced);

public sealed record MetRecorded(string Met);

/// <summary>A suggestion as an API client sees it: what the page shows.</summary>
public sealed record SuggestionView(string Id, string PeerName, string Place, IReadOnlyList<string> Models, int YearsExperience, IReadOnlyList<string> Reasons, string? Answer, bool Introduced);

/// <summary>A follow-up as an API client sees it.</summary>
public sealed record FollowUpView(string Id, string PeerName, string? Met);

/// <summary>
/// <c>GET /api/suggestions/{id}</c> shows a suggested peer (mail scanners follow links: GET records
/// nothing); <c>POST …/answer</c> records yes or no. <c>GET</c>/<c>POST …/met</c> do the same for a
/// follow-up's "did you meet?". A browser's answer is redirected to the page, which then shows it.
/// </summary>
public sealed class SuggestionsApi(LinkedPages pages, SuggestionAnswers answers)
{
    private readonly LinkedPage<SuggestionWithPeer> suggestionPage =
        new(MatchingRoutes.Suggestion, MatchingLinks.Suggestion, MatchingLinks.SuggestionLink, answers.FindAsync);

    private readonly LinkedPage<SuggestionWithPeer> followUpPage =
        new(MatchingRoutes.FollowUp, MatchingLinks.FollowUp, MatchingLinks.SuggestionLink, answers.FindAsync);

    [Function("Suggestion")]
    public async Task<Results<RazorComponentResult<SuggestionPage>, Ok<SuggestionView>, LinkProblemResult>> ShowAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = MatchingRoutes.Suggestion)] HttpRequest request, string id, CancellationToken cancellationToken)
    {
        var (found, problem) = await pages.OpenAsync(request, suggestionPage, id, cancellationToken);
        if (found is not var (suggestion, peer))
        {
            return new LinkProblemResult(suggestionPage.Kind, problem);
        }
        var introduced = await answers.IsIntroducedAsync(suggestion, cancellationToken);
        if (!Pages.PrefersHtml(request))
        {
            var p = peer.Profile;
            return TypedResults.Ok(new SuggestionView(id, Reasons.FirstName(p.Name), PlaceNames.Describe(p.Region),
                p.Models.Select(ReferenceData.Label).ToList(), p.YearsExperience, suggestion.Reasons, suggestion.Answer, introduced));
        }
        return Pages.Render<SuggestionPage>(new
        {
            Suggestion = suggestion,
            Peer = peer.Profile,
            Introduced = introduced,
            AnswerPath = Routes.WithToken(MatchingRoutes.SuggestionAnswer, request.LinkToken(), id),
        });
    }

    [Function("SuggestionAnswer")]
    public Task<Results<Ok<AnswerRecorded>, SeeOther, ValidationProblem, ProblemHttpResult, LinkProblemResult>> AnswerAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = MatchingRoutes.SuggestionAnswer)] HttpRequest request, string id, CancellationToken cancellationToken) =>
        pages.AnswerAsync(request, suggestionPage, id, LinkedPages.YesOrNo,
            async (found, answer, ct) => await answers.AnswerAsync(found.Suggestion, answer, ct) is { } outcome
                ? new AnswerRecorded(outcome.Answer, outcome.Introduced)
                : null,
            cancellationToken);

    /// <summary>The answer's address opened again from history: the suggestion's page.</summary>
    [Function("SuggestionAnswerReopened")]
    public SeeOther AnswerReopened(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = MatchingRoutes.SuggestionAnswer)] HttpRequest request, string id) =>
        LinkedPages.Reopened(request, suggestionPage, id);

    [Function("FollowUp")]
    public async Task<Results<RazorComponentResult<FollowUpPage>, Ok<FollowUpView>, LinkProblemResult>> ShowFollowUpAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = MatchingRoutes.FollowUp)] HttpRequest request, string id, CancellationToken cancellationToken)
    {
        var (found, problem) = await pages.OpenAsync(request, followUpPage, id, cancellationToken);
        if (found is not var (suggestion, peer))
        {
            return new LinkProblemResult(followUpPage.Kind, problem);
        }
        if (!Pages.PrefersHtml(request))
        {
            return TypedResults.Ok(new FollowUpView(id, Reasons.FirstName(peer.Profile.Name), suggestion.Met));
        }
        return Pages.Render<FollowUpPage>(new
        {
            PeerName = peer.Profile.Name,
            suggestion.Met,
            AnswerPath = Routes.WithToken(MatchingRoutes.FollowUp, request.LinkToken(), id),
        });
    }

    [Function("FollowUpAnswer")]
    public Task<Results<Ok<MetRecorded>, SeeOther, ValidationProblem, ProblemHttpResult, LinkProblemResult>> RecordMetAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = MatchingRoutes.FollowUp)] HttpRequest request, string id, CancellationToken cancellationToken) =>
        pages.AnswerAsync(request, followUpPage, id, LinkedPages.YesOrNo,
            async (found, met, ct) => await answers.RecordMetAsync(found.Suggestion, met, ct) is { } recorded ? new MetRecorded(recorded) : null,
            cancellationToken);
}
