namespace PeerMatch.Links;

/// <summary>Absolute URLs for e-mails and pages, built from <c>PeerMatch__PublicBaseUrl</c>.</summary>
public sealed class PublicLinks(Uri baseUrl)
{
    private readonly string _base = baseUrl.AbsoluteUri.TrimEnd('/');

    public Uri Confirm(string token) => Build("/api/confirm", token);

    public Uri Manage(string token) => Build("/api/me", token);

    public Uri Unsubscribe(string token) => Build("/api/unsubscribe", token);

    public Uri Suggestion(string suggestionId, string token) => Build($"/api/suggestions/{Uri.EscapeDataString(suggestionId)}", token);

    public Uri FollowUp(string suggestionId, string token) => Build($"/api/suggestions/{Uri.EscapeDataString(suggestionId)}/met", token);

    private Uri Build(string path, string token) => new($"{_base}{path}?token={Uri.EscapeDataString(token)}");
}
