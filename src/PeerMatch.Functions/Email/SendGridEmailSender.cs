using System.Net;
using Microsoft.Extensions.Options;
using PeerMatch.Email;
using PeerMatch.Functions.Settings;
using SendGrid;
using SendGrid.Helpers.Mail;

namespace PeerMatch.Functions.Email;

/// <summary>
/// Delivery through SendGrid's v3 API, used when <c>SendGrid__ApiKey</c> is set: one message, or a bulk message as
/// one request with a personalization per recipient.
/// </summary>
public sealed class SendGridEmailSender(ISendGridClient client, IOptions<EmailOptions> options, TimeProvider clock) : IEmailSender, IBulkEmailSender
{
    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        message.EnsureComplete();
        var mail = NewMail(message.Kind, message.Subject, message.TextBody, message.HtmlBody);
        mail.AddTo(new EmailAddress(message.ToAddress, message.ToName));
        foreach (var attachment in message.Attachments ?? [])
        {
            mail.AddAttachment(attachment.FileName, Convert.ToBase64String(attachment.Content), attachment.ContentType);
        }
        if (message.UnsubscribeUrl is { } unsubscribe)
        {
            AddUnsubscribeHeaders(mail.Headers, unsubscribe);
        }
        await PostAsync(mail, cancellationToken);
    }

    /// <summary>
    /// One request for every recipient (SendGrid takes up to 1,000 personalizations): each personalization has its
    /// own address, substitutions and unsubscribe headers.
    /// </summary>
    public async Task SendAsync(BulkEmail email, CancellationToken cancellationToken)
    {
        if (email.Recipients.Count is 0 or > 1_000)
        {
            throw new ArgumentException("A bulk message goes to 1 to 1,000 recipients.", nameof(email));
        }
        var mail = NewMail(email.Kind, email.Subject, email.TextBody, email.HtmlBody);
        mail.Personalizations = email.Recipients.Select(r =>
        {
            var personalization = new Personalization
            {
                Tos = [new EmailAddress(r.Address, r.Name)],
                Substitutions = new Dictionary<string, string>(r.Substitutions),
                Headers = [],
            };
            AddUnsubscribeHeaders(personalization.Headers, r.UnsubscribeUrl);
            return personalization;
        }).ToList();
        // Whoever looks a mailing up in SendGrid's activity feed (one left in doubt by a crash, say) finds it by this.
        mail.CustomArgs = new Dictionary<string, string> { [MailingArgument] = email.MailingId };

        await PostAsync(mail, cancellationToken);
    }

    /// <summary>The <c>custom_args</c> key that names a bulk request's mailing (one batch of a bulk send).</summary>
    public const string MailingArgument = "peermatch_mailing";

    /// <summary>
    /// A request whose answer never came (the process stopped during it) may or may not have reached SendGrid; its API
    /// says which only to accounts with the activity feed, so this sender does not claim to know.
    /// </summary>
    public Task<IReadOnlySet<string>?> DeliveredAsync(BulkEmail email, CancellationToken cancellationToken) => Task.FromResult<IReadOnlySet<string>?>(null);

    /// <summary>
    /// One request to SendGrid. A 429 (with its Retry-After), a 5xx, a timeout or a refused key (401, 403: an operator
    /// can mend it) is worth trying again; any other refusal is of the message itself, and is not.
    /// </summary>
    private async Task PostAsync(SendGridMessage mail, CancellationToken cancellationToken)
    {
        Response response;
        try
        {
            response = await client.SendEmailAsync(mail, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new EmailSendException($"SendGrid did not answer: {e.Message}", transient: true, inner: e);
        }
        if (response.IsSuccessStatusCode)
        {
            return;
        }
        var detail = $"SendGrid answered {(int)response.StatusCode}: {await response.Body.ReadAsStringAsync(cancellationToken)}";
        throw response.StatusCode switch
        {
            HttpStatusCode.TooManyRequests => new EmailSendException(detail, transient: true, RetryAfter(response)),
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new EmailSendException(detail, transient: true),
            var status => new EmailSendException(detail, transient: (int)status >= 500),
        };
    }

    private SendGridMessage NewMail(EmailKind kind, string subject, string text, string html)
    {
        var mail = new SendGridMessage
        {
            From = new EmailAddress(options.Value.FromAddress, options.Value.FromName),
            Subject = subject,
            PlainTextContent = text,
            HtmlContent = html,
            // Message-wide headers (the top-level "headers" of the v3 request).
            Headers = new Dictionary<string, string> { [EmailKinds.HeaderName] = kind.Name },
        };
        // Links must reach the recipient as written: tracking would rewrite them.
        mail.SetClickTracking(false, false);
        return mail;
    }

    private static void AddUnsubscribeHeaders(Dictionary<string, string> headers, Uri unsubscribe)
    {
        headers["List-Unsubscribe"] = $"<{unsubscribe.AbsoluteUri}>";
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click";
    }

    private TimeSpan? RetryAfter(Response response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - clock.GetUtcNow(),
        _ => null,
    };
}
