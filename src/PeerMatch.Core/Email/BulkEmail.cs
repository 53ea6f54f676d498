using System.Text.Encodings.Web;
using System.Text.RegularExpressions;

namespace PeerMatch.Email;

/// <summary>
/// One message for many recipients, each with their own greeting and unsubscribe link: the shape of one
/// SendGrid request with a personalization per recipient. The bodies hold placeholders
/// (<see cref="BulkPlaceholders"/>); each recipient's values fill them, encoded for HTML in the HTML part.
/// <see cref="MailingId"/> names the mailing (one batch of a bulk send) wherever the e-mail service lets one look it up.
/// </summary>
public sealed record BulkEmail(EmailKind Kind, string Subject, string TextBody, string HtmlBody, IReadOnlyList<BulkRecipient> Recipients, string MailingId)
{
    /// <summary>The message as <paramref name="recipient"/> reads it.</summary>
    public EmailMessage For(BulkRecipient recipient) => new(Kind, recipient.Address, recipient.Name, Subject,
        BulkPlaceholders.Fill(TextBody, recipient.Substitutions),
        BulkPlaceholders.Fill(HtmlBody, recipient.Substitutions),
        recipient.UnsubscribeUrl);
}

/// <summary>
/// One recipient of a <see cref="BulkEmail"/>. <see cref="Id"/> names this recipient of this mailing (the bulk send and
/// address key), the same however often it is sent: what lets a sender recognise a repeat.
/// </summary>
public sealed record BulkRecipient(string Id, string Address, string Name, Uri UnsubscribeUrl, IReadOnlyDictionary<string, string> Substitutions);

/// <summary>
/// The placeholders of one bulk message: <c>%%greeting-{nonce}%%</c> in text, <c>%%greeting-{nonce}.html%%</c> in HTML.
/// The nonce is drawn anew for each message, so nobody's own words (a message someone wrote, a name) can hold a
/// placeholder: "%%name%%" typed in a message stays "%%name%%", here and at SendGrid, which fills the same keys.
/// </summary>
public sealed partial class BulkPlaceholders
{
    private readonly string _nonce = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));

    public string Text(string field) => $"%%{field}-{_nonce}%%";

    public string Html(string field) => $"%%{field}-{_nonce}.html%%";

    /// <summary>Renames the placeholders of <paramref name="fields"/> in an HTML body to their HTML form.</summary>
    public string ForHtml(string html, IEnumerable<string> fields) =>
        fields.Aggregate(html, (body, field) => body.Replace(Text(field), Html(field), StringComparison.Ordinal));

    /// <summary>A recipient's substitutions: each value as text, and encoded for HTML.</summary>
    public IReadOnlyDictionary<string, string> Values(IReadOnlyDictionary<string, string> fields)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (field, value) in fields)
        {
            values[Text(field)] = value;
            values[Html(field)] = HtmlEncoder.Default.Encode(value);
        }
        return values;
    }

    /// <summary>Fills every placeholder in one pass, so a value is never read as a placeholder itself.</summary>
    public static string Fill(string body, IReadOnlyDictionary<string, string> substitutions) =>
        Placeholder().Replace(body, m => substitutions.TryGetValue(m.Value, out var value) ? value : m.Value);

    [GeneratedRegex(@"%%[a-z]+-[0-9a-f]{16}(\.html)?%%")]
    private static partial Regex Placeholder();
}

/// <summary>Delivers a <see cref="BulkEmail"/>: SendGrid in one request, the outbox as one file per recipient.</summary>
public interface IBulkEmailSender
{
    Task SendAsync(BulkEmail email, CancellationToken cancellationToken);

    /// <summary>
    /// Which of the recipients (by <see cref="BulkRecipient.Id"/>) have the message already, as far as this sender can
    /// show it; null when it cannot tell. Asked of a mailing whose sending stopped half-way (a crash during the request),
    /// so that nobody gets a second copy unasked: the outbox knows what it wrote; a SendGrid request whose answer never
    /// came is in doubt.
    /// </summary>
    Task<IReadOnlySet<string>?> DeliveredAsync(BulkEmail email, CancellationToken cancellationToken);
}
