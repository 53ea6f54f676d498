using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using PeerMatch.Functions.Http;
using PeerMatch.Functions.Intake;
using PeerMatch.Functions.Links;
using PeerMatch.Links;

namespace PeerMatch.Functions.Intake;

/// <summary>Whether an address is unsubscribed, as an API client sees it.</summary>
public sealed record UnsubscribeStatus(bool Unsubscribed);

/// <summary>
/// <c>GET /api/unsubscribe</c> shows a button, or that the address is unsubscribed already (mail scanners
/// follow links, so GET changes nothing). <c>POST</c> unsubscribes: the RFC 8058 one-click from a mail
/// client gets 200 and no redirect; the page's own button is redirected to the page (post/redirect/get).
/// </summary>
public sealed class UnsubscribeApi(LinkSigner links, SuppressionTable suppressions)
{
    [Function("Unsubscribe")]
    public async Task<Results<RazorComponentResult<UnsubscribePage>, Ok<UnsubscribeStatus>, LinkProblemResult>> ShowAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = IntakeRoutes.Unsubscribe)] HttpRequest request, CancellationToken cancellationToken)
    {
        var token = request.LinkToken();
        var (emailKey, problem) = await OpenAsync(token, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        var unsubscribed = await suppressions.IsSuppressedKeyAsync(emailKey, cancellationToken);
        if (!Pages.PrefersHtml(request))
        {
            return TypedResults.Ok(new UnsubscribeStatus(unsubscribed));
        }
        return Pages.Render<UnsubscribePage>(new
        {
            Unsubscribed = unsubscribed,
            JustNow = request.Query["done"] == "1",
            UnsubscribePath = Routes.WithToken(IntakeRoutes.Unsubscribe, token),
        });
    }

    [Function("UnsubscribeOneClick")]
    public async Task<Results<RazorComponentResult<UnsubscribePage>, Ok<UnsubscribeStatus>, SeeOther, LinkProblemResult, NegotiatedProblem>> UnsubscribeAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = IntakeRoutes.Unsubscribe)] HttpRequest request, CancellationToken cancellationToken)
    {
        var token = request.LinkToken();
        var (emailKey, problem) = await OpenAsync(token, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        var fields = await RequestBodies.ReadFieldsAsync(request, cancellationToken);
        if (fields.Problem is { } unreadable)
        {
            return new NegotiatedProblem(unreadable);
        }
        await suppressions.SuppressKeyAsync(emailKey, cancellationToken);
        if (!Pages.PrefersHtml(request))
        {
            return TypedResults.Ok(new UnsubscribeStatus(true)); // RFC 8058: a mail client's one-click, 200 and no redirect
        }
        return fields["from"] == "page"
            ? Pages.SeeOther(Routes.WithToken(IntakeRoutes.Unsubscribe, token) + "&done=1")
            : Pages.Render<UnsubscribePage>(new { Unsubscribed = true, JustNow = true });
    }

    /// <summary>The key of the address an unsubscribe link names, or what is wrong with the link.</summary>
    private async Task<(string EmailKey, LinkProblemResult? Problem)> OpenAsync(string token, CancellationToken cancellationToken)
    {
        var (state, emailKey) = await links.CheckAsync(token, UnsubscribeLinks.Purpose, cancellationToken);
        return state == TokenState.Valid ? (emailKey, null) : (emailKey, new LinkProblemResult(UnsubscribeLinks.Kind, LinkProblems.From(state)));
    }
}
