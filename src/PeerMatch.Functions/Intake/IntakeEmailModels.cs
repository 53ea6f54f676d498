using PeerMatch.Functions.Email;

namespace PeerMatch.Functions.Intake;

/// <summary>What <see cref="ConfirmationEmail"/> says.</summary>
public sealed record ConfirmationModel(EmailFooter Footer, Uri ConfirmUrl) : IEmailModel;

/// <summary>What <see cref="ManageLinkEmail"/> says.</summary>
public sealed record ManageLinkModel(EmailFooter Footer, Uri ManageUrl) : IEmailModel;
