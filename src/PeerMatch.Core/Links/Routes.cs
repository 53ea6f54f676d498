namespace PeerMatch.Links;

/// <summary>
/// Where routes stand: below one prefix. Each feature declares its own routes once (its <c>…Routes</c> class), and
/// the functions' trigger attributes and the links in e-mails and pages name those.
/// </summary>
public static class Routes
{
    /// <summary>host.json's <c>extensions.http.routePrefix</c> (a test keeps the two equal).</summary>
    public const string Prefix = "api";

    /// <summary>The path of <paramref name="route"/> with its one parameter, if any, filled in: <c>/api/things/2026-W49-ab12</c> for <c>things/{id}</c>.</summary>
    public static string Path(string route, string? parameter = null)
    {
        var open = route.IndexOf('{', StringComparison.Ordinal);
        var filled = open < 0 ? route
            : route[..open] + Uri.EscapeDataString(parameter ?? throw new ArgumentNullException(nameof(parameter))) + route[(route.IndexOf('}', open) + 1)..];
        return $"/{Prefix}/{filled}";
    }

    /// <summary>The path with a link token: <c>/api/me?token=…</c>.</summary>
    public static string WithToken(string route, string token, string? parameter = null) =>
        $"{Path(route, parameter)}?token={Uri.EscapeDataString(token)}";
}
