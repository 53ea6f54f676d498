using PeerMatch.Email;
using PeerMatch.Functions.Email;
using PeerMatch.Functions.Links;
using PeerMatch.Intake;

namespace PeerMatch.Functions.Intake;

/// <summary>The e-mails of sign-up: confirm a new address, or a way back in for a known one.</summary>
public sealed class IntakeEmailComposer(LinkSigner links) : IEmailComposer
{
    public IReadOnlyCollection<EmailKind> Kinds { get; } = [EmailKind.Confirmation, EmailKind.ManageLink];

    public async Task<EmailMessage?> ComposeAsync(EmailJob job, Practitioner recipient, CancellationToken cancellationToken)
    {
        var profile = recipient.Profile;
        return job.Kind == EmailKind.Confirmation
            ? IntakeEmails.Confirmation(profile.Name, profile.Email, await links.ConfirmUrlAsync(recipient.Id, cancellationToken))
            : IntakeEmails.ManageLink(profile.Name, profile.Email,
                await links.ManageUrlAsync(recipient.Id, cancellationToken), await links.UnsubscribeUrlAsync(profile.Email, cancellationToken));
    }
}
