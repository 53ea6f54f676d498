using PeerMatch.Email;
using PeerMatch.Functions.Email;
using PeerMatch.Functions.Intake;
using PeerMatch.Functions.Links;
using PeerMatch.Invitations;

namespace PeerMatch.Functions.Invitations;

/// <summary>
/// Writes a shard's invitations as one bulk message: the template is rendered once, with placeholders where each
/// recipient's greeting and unsubscribe link go, and every recipient brings their own values.
/// </summary>
public sealed class InvitationComposer(IntakeLinks intake, UnsubscribeLinks unsubscribes, EmailRenderer renderer) : IInvitationComposer
{
    private const string NameField = "name";
    private const string UnsubscribeField = "unsubscribe";

    // A link cannot be a placeholder (a Uri would escape it): the template gets this address, then it is swapped.
    private static readonly Uri UnsubscribeStandIn = new("https://unsubscribe.placeholder.invalid/");

    public async Task<BulkEmail> ComposeAsync(CampaignPost post, IReadOnlyList<Invitee> recipients, string mailingId, CancellationToken cancellationToken)
    {
        var placeholders = new BulkPlaceholders();
        var footer = new EmailFooter(placeholders.Text(NameField), ManageUrl: null, UnsubscribeStandIn);
        var (html, text) = await renderer.RenderAsync<InvitationEmail, InvitationModel>(new(footer, post.Sender, post.Message, intake.IntakeForm()));
        string WithPlaceholder(string body) => body.Replace(UnsubscribeStandIn.AbsoluteUri, placeholders.Text(UnsubscribeField), StringComparison.Ordinal);

        var personalized = new List<BulkRecipient>(recipients.Count);
        foreach (var recipient in recipients)
        {
            var unsubscribe = await unsubscribes.UrlAsync(recipient.Email, cancellationToken);
            personalized.Add(new BulkRecipient($"{post.CampaignId}-{recipient.Key[..16]}", recipient.Email, recipient.Name, unsubscribe,
                placeholders.Values(new Dictionary<string, string>
                {
                    [NameField] = recipient.Name.Length > 0 ? recipient.Name : "there",
                    [UnsubscribeField] = unsubscribe.AbsoluteUri,
                })));
        }
        return new BulkEmail(InvitationEmails.Invitation, InvitationEmail.Subject(post.Sender), WithPlaceholder(text),
            placeholders.ForHtml(WithPlaceholder(html), [NameField, UnsubscribeField]), personalized, mailingId);
    }
}
