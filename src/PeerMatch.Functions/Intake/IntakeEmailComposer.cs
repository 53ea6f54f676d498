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
            var confirm = await renderer.RenderAsync<ConfirmationEmail>(new Dictionary<string, object?>
            {
                [nameof(ConfirmationEmail.Name)] = profile.Name,
                [nameof(ConfirmationEmail.ConfirmUrl)] = await links.ConfirmUrlAsync(recipient.Id, job.Context, cancellationToken),
            });
            return new EmailMessage(job.Kind, profile.Email, profile.Name, ConfirmationEmail.Subject, confirm.Text, confirm.Html, UnsubscribeUrl: null);
        }
        return await renderer.MessageAsync<ManageLinkEmail>(job.Kind, recipient, ManageLinkEmail.Subject, new Dictionary<string, object?>
        {
            [nameof(ManageLinkEmail.Name)] = profile.Name,
            [nameof(ManageLinkEmail.ManageUrl)] = await links.ManageUrlAsync(recipient.Id, cancellationToken),
            [nameof(ManageLinkEmail.UnsubscribeUrl)] = await unsubscribes.UrlAsync(profile.Email, cancellationToken),
        });
    }
}
