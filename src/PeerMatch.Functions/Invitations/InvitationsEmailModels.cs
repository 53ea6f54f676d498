using PeerMatch.Functions.Email;

namespace PeerMatch.Functions.Invitations;

/// <summary>What <see cref="InvitationEmail"/> says.</summary>
public sealed record InvitationModel(EmailFooter Footer, string Sender, string Message, Uri IntakeUrl) : IEmailModel;
