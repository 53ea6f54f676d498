using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using PeerMatch.Functions.Http;
using PeerMatch.Functions.Links;
using PeerMatch.Intake;
using PeerMatch.Links;
using PeerMatch.Matching;
using static System.Net.WebUtility;

namespace PeerMatch.Functions.Matching;

public sealed record AnswerRecorded(string Answer, bool Introduced);

public sealed record MetRecorded(string Met);

/// <summary>
/// <c>GET /api/suggestions/{id}</c> shows a suggested peer (mail scanners follow links: GET records
/// nothing); <c>POST …/answer</c> records yes or no. <c>GET</c>/<c>POST …/met</c> do the same for a
/// follow-up's "did you meet?".
/// </summary>
public sealed class SuggestionsApi(LinkSigner links, SuggestionAnswers answers)
{
    [Function("Suggestion")]
    public async Task<ContentHttpResult> ShowAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.Suggestion)] HttpRequest request, string id, CancellationToken cancellationToken)
    {
        if (await FindAsync(request, id, TokenPurpose.Suggestion, cancellationToken) is not var (suggestion, peer))
        {
            return NotAvailablePage();
        }
        var p = peer.Profile;
        var first = Reasons.FirstName(p.Name);
        var place = string.Join(", ", new[] { p.Region.City, p.Region.Subdivision ?? p.Region.Country }.Where(s => !string.IsNullOrEmpty(s)));
        var reasons = string.Concat(suggestion.Reasons.Select(r => $"<li>{HtmlEncode(r)}</li>"));
        var action = Routes.WithToken(Routes.SuggestionAnswer, request.Query["token"]!, id);
        var answered = suggestion.Answer is { } answer
            ? $"<p role=\"status\">You answered <strong>{(answer == "yes" ? "“I'd like to connect”" : "“Not now”")}</strong>.</p>"
            : $"""
              <form method="post" action="{HtmlEncode(action)}">
                <p><button type="submit" name="answer" value="yes">I'd like to connect</button>
                <button type="submit" name="answer" value="no" class="secondary">Not now</button></p>
              </form>
              <p>If you both say yes, we introduce you by e-mail. {HtmlEncode(first)} never learns of a “not now”.</p>
              """;
        return Pages.Html($"Meet {first}", $"""
            <p><strong>{HtmlEncode(p.Name)}</strong>, {HtmlEncode(place)}: {HtmlEncode(string.Join(", ", p.Models))} mediation, {p.YearsExperience} years of experience.</p>
            {(string.IsNullOrEmpty(p.Bio) ? "" : $"<blockquote>{HtmlEncode(p.Bio)}</blockquote>")}
            <h2>Why we suggest {HtmlEncode(first)}</h2>
            <ul>{reasons}</ul>
            {answered}
            """);
    }

    [Function("SuggestionAnswer")]
    public async Task<Results<Ok<AnswerRecorded>, ContentHttpResult, ValidationProblem, ProblemHttpResult>> AnswerAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Routes.SuggestionAnswer)] HttpRequest request, string id, CancellationToken cancellationToken)
    {
        if (await FindAsync(request, id, TokenPurpose.Suggestion, cancellationToken) is not var (suggestion, peer))
        {
            return Problems.InvalidLink();
        }
        var answer = await ReadAnswerAsync(request, cancellationToken);
        if (!SuggestionAnswers.IsYesOrNo(answer))
        {
            return NotYesOrNo();
        }

        var outcome = await answers.AnswerAsync(suggestion, answer!, cancellationToken);
        if (!Pages.PrefersHtml(request))
        {
            return TypedResults.Ok(new AnswerRecorded(outcome.Answer, outcome.Introduced));
        }
        var first = HtmlEncode(Reasons.FirstName(peer.Profile.Name));
        return Pages.Html("Thank you", outcome.Answer == "yes"
            ? $"<p>You said you'd like to connect with {first}. {(outcome.Introduced ? "You both said yes: an introduction is on its way to both of you." : $"If {first} says yes too, we introduce you by e-mail.")}</p>"
            : $"<p>Noted: not now. We won't suggest {first} to you again.</p>");
    }

    [Function("FollowUp")]
    public async Task<ContentHttpResult> ShowFollowUpAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.FollowUp)] HttpRequest request, string id, CancellationToken cancellationToken)
    {
        if (await FindAsync(request, id, TokenPurpose.FollowUp, cancellationToken) is not var (suggestion, peer))
        {
            return NotAvailablePage();
        }
        var first = Reasons.FirstName(peer.Profile.Name);
        var action = Routes.WithToken(Routes.FollowUp, request.Query["token"]!, id);
        return Pages.Html($"Did you meet {first}?", suggestion.Met is { } met
            ? $"<p role=\"status\">You answered <strong>{(met == "yes" ? "yes, we met" : "no, not yet")}</strong>. Thank you.</p>"
            : $"""
              <p>Two weeks ago we introduced you to {HtmlEncode(peer.Profile.Name)}. Your answer helps us suggest better peers.</p>
              <form method="post" action="{HtmlEncode(action)}">
                <p><button type="submit" name="answer" value="yes">Yes, we met</button>
                <button type="submit" name="answer" value="no" class="secondary">No, not yet</button></p>
              </form>
              """);
    }

    [Function("FollowUpAnswer")]
    public async Task<Results<Ok<MetRecorded>, ContentHttpResult, ValidationProblem, ProblemHttpResult>> RecordMetAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Routes.FollowUp)] HttpRequest request, string id, CancellationToken cancellationToken)
    {
        if (await FindAsync(request, id, TokenPurpose.FollowUp, cancellationToken) is not var (suggestion, _))
        {
            return Problems.InvalidLink();
        }
        var answer = await ReadAnswerAsync(request, cancellationToken);
        if (!SuggestionAnswers.IsYesOrNo(answer))
        {
            return NotYesOrNo();
        }
        var met = await answers.RecordMetAsync(suggestion, answer!, cancellationToken);
        return Pages.PrefersHtml(request)
            ? Pages.Html("Thank you", "<p>Noted. Your answers help PeerMatch suggest better peers.</p>")
            : TypedResults.Ok(new MetRecorded(met));
    }

    /// <summary>The suggestion the link's token opens, with its peer; the token names both its holder and this suggestion.</summary>
    private async Task<(StoredSuggestion Suggestion, Practitioner Peer)?> FindAsync(HttpRequest request, string id, TokenPurpose purpose, CancellationToken cancellationToken) =>
        await links.ReadSuggestionAsync(request.Query["token"], purpose, id, cancellationToken) is { } practitionerId
            ? await answers.FindAsync(practitionerId, id, cancellationToken)
            : null;

    /// <summary>The page's buttons post a form; scripts may post JSON <c>{"answer":"yes"}</c> or use <c>?answer=</c>.</summary>
    private static async Task<string?> ReadAnswerAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.Query.TryGetValue("answer", out var query))
        {
            return query.ToString();
        }
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(cancellationToken);
            return form["answer"].ToString();
        }
        if (!request.HasJsonContentType())
        {
            return null;
        }
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("answer", out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static ValidationProblem NotYesOrNo()
    {
        var errors = new ValidationErrors();
        errors.Add("answer", "Must be yes or no.");
        return Problems.Validation(errors);
    }

    private static ContentHttpResult NotAvailablePage() => Pages.Html("This suggestion is not available",
        "<p>The link may have expired, or the person has left PeerMatch. Your next weekly e-mail brings new suggestions.</p>", StatusCodes.Status404NotFound);
}
