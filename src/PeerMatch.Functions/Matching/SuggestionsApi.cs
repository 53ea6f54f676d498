using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using PeerMatch.Functions.Http;
using PeerMatch.Functions.Links;
using PeerMatch.Intake;
using PeerMatch.Links;
using PeerMatch.Matching;

namespace PeerMatch.Functions.Matching;

public sealed record AnswerRecorded(string Answer, bool Introduced);

public sealed record MetRecorded(string Met);

/// <summary>
/// <c>GET /api/suggestions/{id}</c> shows a suggested peer (mail scanners follow links: GET records
/// nothing); <c>POST …/answer</c> records yes or no. <c>GET</c>/<c>POST …/met</c> do the same for a
/// follow-up's "did you meet?". A browser's answer is redirected to the page, which then shows it.
/// </summary>
public sealed class SuggestionsApi(LinkSigner links, SuggestionAnswers answers)
{
    [Function("Suggestion")]
    public async Task<Results<RazorComponentResult<SuggestionPage>, RazorComponentResult<LinkProblemPage>>> ShowAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.Suggestion)] HttpRequest request, string id, CancellationToken cancellationToken)
    {
        var (found, problem) = await OpenAsync(request, id, TokenPurpose.Suggestion, cancellationToken);
        if (found is not var (suggestion, peer))
        {
            return LinkProblems.Page(LinkKind.Suggestion, problem);
        }
        return Pages.Render<SuggestionPage>(new
        {
            Suggestion = suggestion,
            Peer = peer.Profile,
            Introduced = await answers.IsIntroducedAsync(suggestion, cancellationToken),
            AnswerPath = Routes.WithToken(Routes.SuggestionAnswer, Token(request), id),
        });
    }

    [Function("SuggestionAnswer")]
    public async Task<Results<Ok<AnswerRecorded>, SeeOther, ValidationProblem, ProblemHttpResult>> AnswerAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Routes.SuggestionAnswer)] HttpRequest request, string id, CancellationToken cancellationToken)
    {
        var page = Routes.WithToken(Routes.Suggestion, Token(request), id);
        var (found, problem) = await OpenAsync(request, id, TokenPurpose.Suggestion, cancellationToken);
        if (found is not var (suggestion, _))
        {
            // The page says what became of the suggestion.
            return Pages.PrefersHtml(request) ? Pages.SeeOther(page) : Problems.InvalidLink(problem);
        }
        var answer = await ReadAnswerAsync(request, cancellationToken);
        if (!SuggestionAnswers.IsYesOrNo(answer))
        {
            return NotYesOrNo();
        }
        var outcome = await answers.AnswerAsync(suggestion, answer!, cancellationToken);
        return Pages.PrefersHtml(request) ? Pages.SeeOther(page) : TypedResults.Ok(new AnswerRecorded(outcome.Answer, outcome.Introduced));
    }

    /// <summary>The answer's address opened again from history: the suggestion's page.</summary>
    [Function("SuggestionAnswerReopened")]
    public static SeeOther AnswerReopened(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.SuggestionAnswer)] HttpRequest request, string id) =>
        Pages.SeeOther(Routes.WithToken(Routes.Suggestion, Token(request), id));

    [Function("FollowUp")]
    public async Task<Results<RazorComponentResult<FollowUpPage>, RazorComponentResult<LinkProblemPage>>> ShowFollowUpAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.FollowUp)] HttpRequest request, string id, CancellationToken cancellationToken)
    {
        var (found, problem) = await OpenAsync(request, id, TokenPurpose.FollowUp, cancellationToken);
        if (found is not var (suggestion, peer))
        {
            return LinkProblems.Page(LinkKind.FollowUp, problem);
        }
        return Pages.Render<FollowUpPage>(new
        {
            PeerName = peer.Profile.Name,
            suggestion.Met,
            AnswerPath = Routes.WithToken(Routes.FollowUp, Token(request), id),
        });
    }

    [Function("FollowUpAnswer")]
    public async Task<Results<Ok<MetRecorded>, SeeOther, ValidationProblem, ProblemHttpResult>> RecordMetAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Routes.FollowUp)] HttpRequest request, string id, CancellationToken cancellationToken)
    {
        var page = Routes.WithToken(Routes.FollowUp, Token(request), id);
        var (found, problem) = await OpenAsync(request, id, TokenPurpose.FollowUp, cancellationToken);
        if (found is not var (suggestion, _))
        {
            return Pages.PrefersHtml(request) ? Pages.SeeOther(page) : Problems.InvalidLink(problem);
        }
        var answer = await ReadAnswerAsync(request, cancellationToken);
        if (!SuggestionAnswers.IsYesOrNo(answer))
        {
            return NotYesOrNo();
        }
        var met = await answers.RecordMetAsync(suggestion, answer!, cancellationToken);
        return Pages.PrefersHtml(request) ? Pages.SeeOther(page) : TypedResults.Ok(new MetRecorded(met));
    }

    /// <summary>The suggestion a link's token opens, with its peer; or what is wrong with the link.</summary>
    private async Task<((StoredSuggestion Suggestion, Practitioner Peer)? Found, LinkProblem Problem)> OpenAsync(
        HttpRequest request, string id, TokenPurpose purpose, CancellationToken cancellationToken)
    {
        var (state, practitionerId) = await links.CheckSuggestionAsync(Token(request), purpose, id, cancellationToken);
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

    private static ValidationProblem NotYesOrNo()
    {
        var errors = new ValidationErrors();
        errors.Add("answer", "Must be yes or no.");
        return Problems.Validation(errors);
    }

    private static string Token(HttpRequest request) => request.Query["token"].ToString();
}
