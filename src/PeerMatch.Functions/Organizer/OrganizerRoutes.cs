namespace PeerMatch.Functions.Organizer;

/// <summary>The organizer console and its coverage report. Below the route prefix; the trigger attributes and the links name these.</summary>
public static class OrganizerRoutes
{
    public const string OrganizerConsole = "organizer";
    public const string Coverage = "organizer/coverage";
}
