using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using PeerMatch.Functions.Http;
using PeerMatch.Functions.Links;
using PeerMatch.Links;
using static System.Net.WebUtility;

namespace PeerMatch.Functions.Outreach;

/// <summary>
/// <c>GET /api/unsubscribe</c> shows a button (mail scanners follow links, so GET changes nothing);
/// <c>POST</c> is the RFC 8058 one-click unsubscribe: 200, no redirect.
/// </summary>
public sealed class UnsubscribeApi(LinkSigner links, SuppressionTable suppressions)
{
    [Function("Unsubscribe")]
    public async Task<ContentHttpResult> ShowAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.Unsubscribe)] HttpRequest request, CancellationToken cancellationToken)
    {
        string? token = request.Query["token"];
        if (await links.ReadAsync(token, TokenPurpose.Unsubscribe, cancellationToken) is null)
        {
            return InvalidLinkPage();
        }
        return Pages.Html("Stop e-mail from PeerMatch", $"""
            <p>After this, PeerMatch sends nothing more to this address: no suggestions, introductions or invitations.
            Only if you sign up again yourself will a confirmation message be sent.</p>
            <form method="post" action="{HtmlEncode(Routes.WithToken(Routes.Unsubscribe, token!))}">
              <button type="submit">Unsubscribe</button>
            </form>
            """);
    }

    [Function("UnsubscribeOneClick")]
    public async Task<ContentHttpResult> UnsubscribeAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Routes.Unsubscribe)] HttpRequest request, CancellationToken cancellationToken)
    {
        var emailKey = await links.ReadAsync(request.Query["token"], TokenPurpose.Unsubscribe, cancellationToken);
        if (emailKey is null)
        {
            return InvalidLinkPage();
        }
        await suppressions.SuppressKeyAsync(emailKey, cancellationToken);
        return Pages.Html("You are unsubscribed", "<p>PeerMatch will send no more e-mail to this address.</p>");
    }

    private static ContentHttpResult InvalidLinkPage() => Pages.Html("This link is not valid",
        "<p>It may have expired. Reply to any PeerMatch e-mail to be taken off the list by hand.</p>", StatusCodes.Status404NotFound);
}
