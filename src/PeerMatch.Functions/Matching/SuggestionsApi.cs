using Microsoft.AspNetCore.Http.HttpResults;
using PeerMatch.Email;
using PeerMatch.Functions.Email;
using PeerMatch.Functions.Http;
using PeerMatch.Functions.Links;
using PeerMatch.Intake;
using PeerMatch.Links;
using static System.Net.WebUtility;

namespace PeerMatch.Functions.Matching;

public sealed record AnswerRecorded(string Answer, bool Introduced);

public sealed record MetRecorded(string Met);

/// <summary>
/// <c>GET /api/suggestions/{id}</c> shows a suggested peer (mail scanners follow links: GET records
/// nothing); <c>POST …/answer</c> records yes or no, and on the second yes of a pair introduces both, once.
/// </summary>
public static class SuggestionsApi
{
    public static IEndpointRouteBuilder MapSuggestions(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/suggestions").WithTags("Matching");
        api.MapGet("/{id}", ShowAsync);
        api.MapPost("/{id}/answer", AnswerAsync);
        api.MapGet("/{id}/met", ShowFollowUpAsync);
        api.MapPost("/{id}/met", RecordMetAsync);
        return routes;
    }

    private static async Task<ContentHttpResult> ShowAsync(
        string id, string? token, LinkSigner links, SuggestionTable suggestions, IPractitionerRepository practitioners, CancellationToken cancellationToken)
    {
        var (suggestion, peer) = await FindAsync(id, token, TokenPurpose.Suggestion, links, suggestions, practitioners, cancellationToken);
        if (suggestion is null || peer is null)
        {
            return NotAvailablePage();
        }
        var p = peer.Profile;
        var first = PeerMatch.Matching.Reasons.FirstName(p.Name);
        var place = string.Join(", ", new[] { p.Region.City, p.Region.Subdivision ?? p.Region.Country }.Where(s => !string.IsNullOrEmpty(s)));
        var reasons = string.Concat(suggestion.Reasons.Select(r => $"<li>{HtmlEncode(r)}</li>"));
        var action = $"/api/suggestions/{Uri.EscapeDataString(id)}/answer?token={Uri.EscapeDataString(token!)}";
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

    private static async Task<Results<Ok<AnswerRecorded>, ContentHttpResult, ValidationProblem, ProblemHttpResult>> AnswerAsync(
        string id, string? token, HttpRequest request, LinkSigner links, SuggestionTable suggestions, IPractitionerRepository practitioners,
        IntroductionTable introductions, EmailJobScheduler emails, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (suggestion, peer) = await FindAsync(id, token, TokenPurpose.Suggestion, links, suggestions, practitioners, cancellationToken);
        if (suggestion is null || peer is null)
        {
            return Problems.InvalidLink();
        }
        var answer = await ReadAnswerAsync(request, cancellationToken);
        if (answer is not ("yes" or "no"))
        {
            return NotYesOrNo();
        }

        var recorded = await suggestions.TryAnswerAsync(suggestion, answer, clock.GetUtcNow(), cancellationToken);
        var final = recorded ? answer : (await suggestions.GetAsync(suggestion.PractitionerId, suggestion.Id, cancellationToken))?.Answer ?? answer;
        var introduced = false;
        if (final == "yes")
        {
            // Checked on every "yes", not only the first: if a crash came between recording the answer
            // and queueing the introduction, the next click finishes the job. The job ids make a
            // repeated enqueue harmless; the Introductions row says whether this was the first time.
            var reciprocal = await suggestions.GetAsync(suggestion.PeerId, SuggestionTable.IdFor(suggestion.Week, suggestion.PractitionerId), cancellationToken);
            if (reciprocal?.Answer == "yes")
            {
                var pair = string.CompareOrdinal(suggestion.PractitionerId, suggestion.PeerId) < 0
                    ? $"{suggestion.PractitionerId}-{suggestion.PeerId}" : $"{suggestion.PeerId}-{suggestion.PractitionerId}";
                await emails.EnqueueAsync(new EmailJob($"intro-{pair}", EmailKind.Introduction, suggestion.PractitionerId, suggestion.Id), cancellationToken);
                await emails.EnqueueAsync(new EmailJob($"intro-{pair}", EmailKind.Introduction, reciprocal.PractitionerId, reciprocal.Id), cancellationToken);
                introduced = await introductions.TryRecordAsync(suggestion, reciprocal, cancellationToken);
            }
        }

        if (Pages.PrefersHtml(request))
        {
            var first = PeerMatch.Matching.Reasons.FirstName(peer.Profile.Name);
            return Pages.Html("Thank you", final == "yes"
                ? $"<p>You said you'd like to connect with {HtmlEncode(first)}. {(introduced ? "You both said yes: an introduction is on its way to both of you." : $"If {HtmlEncode(first)} says yes too, we introduce you by e-mail.")}</p>"
                : $"<p>Noted: not now. We won't suggest {HtmlEncode(first)} to you again.</p>");
        }
        return TypedResults.Ok(new AnswerRecorded(final, introduced));
    }

    /// <summary>
    /// A follow-up's "did you meet?" page: GET shows the question, POST records the first answer,
    /// which then counts in training (a "yes" to a suggestion whose pair never met is not a success).
    /// </summary>
    private static async Task<ContentHttpResult> ShowFollowUpAsync(
        string id, string? token, LinkSigner links, SuggestionTable suggestions, IPractitionerRepository practitioners, CancellationToken cancellationToken)
    {
        var (suggestion, peer) = await FindAsync(id, token, TokenPurpose.FollowUp, links, suggestions, practitioners, cancellationToken);
        if (suggestion is null || peer is null)
        {
            return NotAvailablePage();
        }
        var first = PeerMatch.Matching.Reasons.FirstName(peer.Profile.Name);
        var action = $"/api/suggestions/{Uri.EscapeDataString(id)}/met?token={Uri.EscapeDataString(token!)}";
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

    private static async Task<Results<Ok<MetRecorded>, ContentHttpResult, ValidationProblem, ProblemHttpResult>> RecordMetAsync(
        string id, string? token, HttpRequest request, LinkSigner links, SuggestionTable suggestions, IPractitionerRepository practitioners,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var (suggestion, peer) = await FindAsync(id, token, TokenPurpose.FollowUp, links, suggestions, practitioners, cancellationToken);
        if (suggestion is null || peer is null)
        {
            return Problems.InvalidLink();
        }
        var answer = await ReadAnswerAsync(request, cancellationToken);
        if (answer is not ("yes" or "no"))
        {
            return NotYesOrNo();
        }
        var recorded = await suggestions.TryRecordMetAsync(suggestion, answer, clock.GetUtcNow(), cancellationToken);
        var final = recorded ? answer : suggestion.Met ?? answer;
        return Pages.PrefersHtml(request)
            ? Pages.Html("Thank you", "<p>Noted. Your answers help PeerMatch suggest better peers.</p>")
            : TypedResults.Ok(new MetRecorded(final));
    }

    private static async Task<(StoredSuggestion?, Practitioner?)> FindAsync(
        string id, string? token, TokenPurpose purpose, LinkSigner links, SuggestionTable suggestions, IPractitionerRepository practitioners, CancellationToken cancellationToken)
    {
        var subject = await links.ReadAsync(token, purpose, cancellationToken);
        var separator = subject?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        if (subject is null || separator < 0 || subject[(separator + 1)..] != id)
        {
            return (null, null);
        }
        return await suggestions.WithPeerAsync(subject[..separator], id, practitioners, cancellationToken);
    }

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
        if (request.HasJsonContentType())
        {
            try
            {
                using var document = await System.Text.Json.JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
                return document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
                    && document.RootElement.TryGetProperty("answer", out var value) && value.ValueKind == System.Text.Json.JsonValueKind.String
                    ? value.GetString() : null;
            }
            catch (System.Text.Json.JsonException)
            {
                return null;
            }
        }
        return null;
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
