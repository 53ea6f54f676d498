using PeerMatch.Email;

namespace PeerMatch.Intake;

/// <summary>What intake sends: the confirmation of a sign-up, and the link to a profile.</summary>
public static class IntakeEmails
{
    /// <summary>Answers an explicit sign-up, so it reaches even an address that unsubscribed (confirming lifts that).</summary>
    public static readonly EmailKind Confirmation = new("confirmation", ReachesUnsubscribed: true);

    public static readonly EmailKind ManageLink = new("manage-link");
}
