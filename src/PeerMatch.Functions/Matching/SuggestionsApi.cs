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
public sealed class SuggestionsApi(LinkSigner links, SuggestionAnswers answers)
{
    [Function("Suggestion")]
    public async Task<Results<RazorComponentResult<SuggestionPage>, Ok<SuggestionView>, LinkProblemResult>> ShowAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = MatchingRoutes.Suggestion)] HttpRequest request, string id, CancellationToken cancellationToken)
    {
        var (found, problem) = await OpenAsync(request, id, MatchingLinks.Suggestion, cancellationToken);
        if (found is not var (suggestion, peer))
        {
            return new LinkProblemResult(MatchingLinks.SuggestionLink, problem);
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
    public async Task<Results<Ok<AnswerRecorded>, SeeOther, ValidationProblem, LinkProblemResult>> AnswerAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = MatchingRoutes.SuggestionAnswer)] HttpRequest request, string id, CancellationToken cancellationToken)
    {
        var page = Routes.WithToken(MatchingRoutes.Suggestion, request.LinkToken(), id);
        var (found, problem) = await OpenAsync(request, id, MatchingLinks.Suggestion, cancellationToken);
        if (found is not var (suggestion, _))
        {
            // The page says what became of the suggestion.
            return Pages.PrefersHtml(request) ? Pages.SeeOther(page) : new LinkProblemResult(MatchingLinks.SuggestionLink, problem);
        }
        var answer = await ReadAnswerAsync(request, cancellationToken);
        if (!SuggestionAnswers.IsYesOrNo(answer))
        {
            return Problems.NotYesOrNo();
        }
        var outcome = await answers.AnswerAsync(suggestion, answer!, cancellationToken);
        return Pages.PrefersHtml(request) ? Pages.SeeOther(page)
            : outcome is null ? new LinkProblemResult(MatchingLinks.SuggestionLink, LinkProblem.Gone)
            : TypedResults.Ok(new AnswerRecorded(outcome.Answer, outcome.Introduced));
    }

    /// <summary>The answer's address opened again from history: the suggestion's page.</summary>
    [Function("SuggestionAnswerReopened")]
    public static SeeOther AnswerReopened(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = MatchingRoutes.SuggestionAnswer)] HttpRequest request, string id) =>
        Pages.SeeOther(Routes.WithToken(MatchingRoutes.Suggestion, request.LinkToken(), id));

    [Function("FollowUp")]
    public async Task<Results<RazorComponentResult<FollowUpPage>, Ok<FollowUpView>, LinkProblemResult>> ShowFollowUpAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = MatchingRoutes.FollowUp)] HttpRequest request, string id, CancellationToken cancellationToken)
    {
        var (found, problem) = await OpenAsync(request, id, MatchingLinks.FollowUp, cancellationToken);
        if (found is not var (suggestion, peer))
        {
            return new LinkProblemResult(MatchingLinks.SuggestionLink, problem);
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
    public async Task<Results<Ok<MetRecorded>, SeeOther, ValidationProblem, LinkProblemResult>> RecordMetAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = MatchingRoutes.FollowUp)] HttpRequest request, string id, CancellationToken cancellationToken)
    {
        var page = Routes.WithToken(MatchingRoutes.FollowUp, request.LinkToken(), id);
        var (found, problem) = await OpenAsync(request, id, MatchingLinks.FollowUp, cancellationToken);
        if (found is not var (suggestion, _))
        {
            return Pages.PrefersHtml(request) ? Pages.SeeOther(page) : new LinkProblemResult(MatchingLinks.SuggestionLink, problem);
        }
        var answer = await ReadAnswerAsync(request, cancellationToken);
        if (!SuggestionAnswers.IsYesOrNo(answer))
        {
            return Problems.NotYesOrNo();
        }
        var met = await answers.RecordMetAsync(suggestion, answer!, cancellationToken);
        return Pages.PrefersHtml(request) ? Pages.SeeOther(page)
            : met is null ? new LinkProblemResult(MatchingLinks.SuggestionLink, LinkProblem.Gone)
            : TypedResults.Ok(new MetRecorded(met));
    }

    /// <summary>The suggestion a link's token opens, with its peer; or what is wrong with the link.</summary>
    private async Task<((StoredSuggestion Suggestion, Practitioner Peer)? Found, LinkProblem Problem)> OpenAsync(
        HttpRequest request, string id, TokenPurpose purpose, CancellationToken cancellationToken)
    {
        var (state, practitionerId) = await links.CheckScopedAsync(request.LinkToken(), purpose, id, cancellationToken);
        if (state != TokenState.Valid)
        {
            return (null, LinkProblems.From(state));
        }
        return await answers.FindAsync(practitionerId, id, cancellationToken) is { } found ? (found, default) : (null, LinkProblem.Gone);
    }

    /// <summary>The page's buttons post a form; scripts may post JSON <c>{"answer":"yes"}</c> or use <c>?answer=</c>.</summary>
    private static async Task<string?> ReadAnswerAsync(HttpRequest request, CancellationToken cancellationToken) =>
        request.Query.TryGetValue("answer", out var query)
            ? query.ToString()
            : (await RequestBodies.ReadFieldsAsync(request, cancellationToken))["answer"];
}
