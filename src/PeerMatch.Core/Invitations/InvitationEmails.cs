using PeerMatch.Email;

namespace PeerMatch.Invitations;

/// <summary>What invitations send: an invitation to join, from an organizer or a colleague.</summary>
public static class InvitationEmails
{
    public static readonly EmailKind Invitation = new("invitation");
}
