namespace PeerMatch.Functions.Unsubscribe;

/// <summary>The unsubscribe link's page and one-click route. Below the route prefix; the trigger attributes and the links name these.</summary>
public static class UnsubscribeRoutes
{
    public const string Unsubscribe = "unsubscribe";
}
