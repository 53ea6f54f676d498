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
        var response = await client.SendEmailAsync(mail, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new EmailDeliveryException(response.StatusCode, await response.Body.ReadAsStringAsync(cancellationToken));
        }
    }

    /// <summary>
    /// One request for every recipient (SendGrid takes up to 1,000 personalizations): each personalization has its
    /// own address, substitutions and unsubscribe headers. A 429 (with its Retry-After), a 5xx or a timeout is
    /// worth trying again; any other refusal is not.
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

        Response response;
        try
        {
            response = await client.SendEmailAsync(mail, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new BulkSendException($"SendGrid did not answer: {e.Message}", transient: true, inner: e);
        }
        if (response.IsSuccessStatusCode)
        {
            return;
        }
        var detail = $"SendGrid answered {(int)response.StatusCode}: {await response.Body.ReadAsStringAsync(cancellationToken)}";
        throw response.StatusCode == HttpStatusCode.TooManyRequests
            ? new BulkSendException(detail, transient: true, RetryAfter(response))
            : new BulkSendException(detail, transient: (int)response.StatusCode >= 500);
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
            Headers = new Dictionary<string, string> { [EmailKinds.HeaderName] = kind.HeaderValue() },
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

/// <summary>SendGrid refused or failed a message; the e-mail queue delivers the job again (host.json's retry rules).</summary>
public sealed class EmailDeliveryException(HttpStatusCode status, string detail)
    : Exception($"SendGrid answered {(int)status}: {detail}")
{
    public HttpStatusCode Status { get; } = status;
}
