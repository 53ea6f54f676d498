namespace PeerMatch.Links;

/// <summary>Absolute URLs for e-mails, built from <c>PeerMatch__PublicBaseUrl</c>.</summary>
public sealed class PublicLinks(Uri baseUrl)
{
    private readonly string _base = baseUrl.AbsoluteUri.TrimEnd('/');

    public Uri Intake() => Build(Routes.Path(Routes.IntakeForm));

    public Uri Confirm(string token) => Build(Routes.WithToken(Routes.Confirm, token));

    public Uri Manage(string token) => Build(Routes.WithToken(Routes.Me, token));

    public Uri Unsubscribe(string token) => Build(Routes.WithToken(Routes.Unsubscribe, token));

    public Uri Suggestion(string suggestionId, string token) => Build(Routes.WithToken(Routes.Suggestion, token, suggestionId));

    public Uri FollowUp(string suggestionId, string token) => Build(Routes.WithToken(Routes.FollowUp, token, suggestionId));

    public Uri Group(string groupId, string token) => Build(Routes.WithToken(Routes.Group, token, groupId));

    public Uri GroupCheckIn(string groupId, string token) => Build(Routes.WithToken(Routes.GroupCheckIn, token, groupId));

    private Uri Build(string pathAndQuery) => new(_base + pathAndQuery);
}
