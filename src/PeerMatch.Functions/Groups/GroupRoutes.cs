namespace PeerMatch.Functions.Groups;

/// <summary>Peer groups' routes: a member's group page and its actions, a group started from the profile, and organizers' proposals and groups. Below the route prefix; the trigger attributes and the links name these.</summary>
public static class GroupRoutes
{
    public const string Group = "groups/{id}";
    public const string GroupAnswer = "groups/{id}/answer";
    public const string GroupLeave = "groups/{id}/leave";
    public const string GroupCheckIn = "groups/{id}/met";
    public const string GroupConvene = "groups/{id}/convene";
    public const string GroupTimes = "groups/{id}/times";
    public const string GroupTurns = "groups/{id}/turns";
    public const string GroupHeld = "groups/{id}/held";
    public const string GroupSeats = "groups/{id}/seats";
    public const string GroupRules = "groups/{id}/rules";
    public const string MyGroup = "me/group";
    public const string GroupProposals = "organizer/groups/proposals";
    public const string OrganizerGroups = "organizer/groups";
}
