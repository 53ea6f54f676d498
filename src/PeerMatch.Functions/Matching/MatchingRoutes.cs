namespace PeerMatch.Functions.Matching;

/// <summary>Matching's routes: suggestion pages and their answers, follow-ups, and organizers' match runs. Below the route prefix; the trigger attributes and the links name these.</summary>
public static class MatchingRoutes
{
    public const string Suggestion = "suggestions/{id}";
    public const string SuggestionAnswer = "suggestions/{id}/answer";
    public const string FollowUp = "suggestions/{id}/met";
    public const string MatchRuns = "organizer/match-runs";
    public const string MatchRun = "organizer/match-runs/{runId}";
}
