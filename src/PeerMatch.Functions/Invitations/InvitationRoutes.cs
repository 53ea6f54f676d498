namespace PeerMatch.Functions.Invitations;

/// <summary>Invitations' routes: an organizer's campaigns and a practitioner's invitation of a colleague. Below the route prefix; the trigger attributes and the links name these.</summary>
public static class InvitationRoutes
{
    public const string MyInvitations = "me/invitations";
    public const string Invitations = "organizer/invitations";
    public const string Invitation = "organizer/invitations/{campaignId}";
    public const string InvitationsInDoubt = "organizer/invitations/{campaignId}/in-doubt";
}
