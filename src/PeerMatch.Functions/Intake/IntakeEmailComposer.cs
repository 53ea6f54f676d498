using PeerMatch.Email;
using PeerMatch.Functions.Email;
using PeerMatch.Functions.Links;
using PeerMatch.Intake;
using PeerMatch.Practitioners;

namespace PeerMatch.Functions.Intake;

/// <summary>The e-mails of sign-up: confirm a new address, or a way back in for a known one.</summary>
public sealed class IntakeEmailComposer(IntakeLinks links, UnsubscribeLinks unsubscribes, EmailRenderer renderer) : IEmailComposer
{
    public IReadOnlyCollection<EmailKind> Kinds { get; } = [IntakeEmails.Confirmation, IntakeEmails.ManageLink];

    public async Task<EmailMessage?> ComposeAsync(EmailJob job, Practitioner recipient, CancellationToken cancellationToken)
    {
        var profile = recipient.Profile;
        if (job.Kind == IntakeEmails.Confirmation)
        {
            // No profile or unsubscribe link yet: the address is not confirmed, and without confirmation nothing is kept.
            var confirmUrl = await links.ConfirmUrlAsync(recipient.Id, job.Context, cancellationToken);
            var (html, text) = await renderer.RenderAsync<ConfirmationEmail, ConfirmationModel>(new(new EmailFooter(profile.Name), confirmUrl));
            return new EmailMessage(job.Kind, profile.Email, profile.Name, ConfirmationEmail.Subject, text, html, UnsubscribeUrl: null);
        }
        var manageUrl = await links.ManageUrlAsync(recipient.Id, cancellationToken);
        var footer = new EmailFooter(profile.Name, manageUrl, await unsubscribes.UrlAsync(profile.Email, cancellationToken));
        return await renderer.MessageAsync<ManageLinkEmail, ManageLinkModel>(job.Kind, recipient, ManageLinkEmail.Subject, new(footer, manageUrl));
    }
}
