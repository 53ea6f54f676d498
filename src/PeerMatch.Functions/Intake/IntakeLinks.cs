using PeerMatch.Functions.Http;
using PeerMatch.Functions.Links;
using PeerMatch.Intake;

namespace PeerMatch.Functions.Intake;

/// <summary>Intake's links: the form, a sign-up's confirmation, and a practitioner's own profile.</summary>
public sealed class IntakeLinks(LinkSigner signer)
{
    private const string ProfileGone =
        "It belonged to a profile that has been erased, or to a sign-up that was never confirmed. You are welcome to sign up again: it takes two minutes.";

    public static readonly LinkKind Confirmation = new("This profile no longer exists", ProfileGone,
        "Confirmation links work for 7 days, and this one is older. Ask for a new one: if the sign-up is still waiting, we send a fresh confirmation link.",
        SignUpAgainWhenGone: true);

    public static readonly LinkKind Profile = new("This profile no longer exists", ProfileGone,
        "Profile links work for 30 days, and this one is older. Ask for a new one: it comes to the same address.", SignUpAgainWhenGone: true);

    public Uri IntakeForm() => signer.Url(IntakeRoutes.IntakeForm);

    /// <summary>A confirmation link: for the first sign-up of an address, or for a later one kept beside it (<paramref name="submissionId"/>).</summary>
    public Task<Uri> ConfirmUrlAsync(string practitionerId, string? submissionId, CancellationToken cancellationToken) =>
        signer.UrlAsync(IntakeRoutes.Confirm, IntakeTokens.Confirm, submissionId is null ? practitionerId : $"{practitionerId}:{submissionId}", null, cancellationToken);

    /// <summary>The practitioner and, for a later sign-up, the submission a confirmation token stands for.</summary>
    public static (string PractitionerId, string? SubmissionId) ConfirmationSubject(string subject) =>
        subject.Split(':') is [var id, var submission] ? (id, submission) : (subject, null);

    public Task<Uri> ManageUrlAsync(string practitionerId, CancellationToken cancellationToken) =>
        signer.UrlAsync(IntakeRoutes.Me, IntakeTokens.Manage, practitionerId, null, cancellationToken);
}
