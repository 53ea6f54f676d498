namespace PeerMatch.Links;

/// <summary>
/// Every HTTP route, below the route prefix, declared once: the functions' trigger attributes name
/// these, and so do the links in e-mails and pages.
/// </summary>
public static class Routes
{
    /// <summary>host.json's <c>extensions.http.routePrefix</c> (a test keeps the two equal).</summary>
    public const string Prefix = "api";

    public const string Health = "health";
    public const string Asset = "assets/{name}";
    public const string IntakeForm = "intake";
    public const string IntakeSent = "intake/sent";
    public const string Subdivisions = "places/{country}";
    public const string Practitioners = "practitioners";
    public const string Confirm = "confirm";
    public const string Me = "me";
    public const string Erase = "me/erase";
    public const string Erased = "me/erased";
    public const string NewLink = "me/link";
    public const string MyInvitations = "me/invitations";
    public const string NewLinkSent = "me/link/sent";
    public const string Unsubscribe = "unsubscribe";
    public const string Suggestion = "suggestions/{id}";
    public const string SuggestionAnswer = "suggestions/{id}/answer";
    public const string FollowUp = "suggestions/{id}/met";
    public const string Group = "groups/{id}";
    public const string GroupAnswer = "groups/{id}/answer";
    public const string GroupLeave = "groups/{id}/leave";
    public const string GroupCheckIn = "groups/{id}/met";
    public const string MyGroup = "me/group";
    public const string OrganizerConsole = "organizer";
    public const string MatchRuns = "organizer/match-runs";
    public const string MatchRun = "organizer/match-runs/{runId}";
    public const string GroupProposals = "organizer/groups/proposals";
    public const string OrganizerGroups = "organizer/groups";
    public const string Coverage = "organizer/coverage";
    public const string Invitations = "organizer/invitations";
    public const string Invitation = "organizer/invitations/{campaignId}";
    public const string InvitationsInDoubt = "organizer/invitations/{campaignId}/in-doubt";

    /// <summary>The path of <paramref name="route"/> with its one parameter, if any, filled in: <c>/api/suggestions/2026-W49-ab12</c>.</summary>
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
