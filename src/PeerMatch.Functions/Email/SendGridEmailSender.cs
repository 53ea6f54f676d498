using System.Net;
using Microsoft.Extensions.Options;
using PeerMatch.Email;
using PeerMatch.Functions.Settings;
using SendGrid;
using SendGrid.Helpers.Mail;

namespace PeerMatch.Functions.Email;

/// <summary>Delivery through SendGrid's v3 API, used when <c>SendGrid__ApiKey</c> is set.</summary>
public sealed class SendGridEmailSender(ISendGridClient client, IOptions<EmailOptions> options) : IEmailSender
{
    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        message.EnsureComplete();
        var mail = MailHelper.CreateSingleEmail(
            new EmailAddress(options.Value.FromAddress, options.Value.FromName),
            new EmailAddress(message.ToAddress, message.ToName),
            message.Subject,
            message.TextBody,
            message.HtmlBody);
        // Message-wide headers (the top-level "headers" of the v3 request).
        mail.Headers = new Dictionary<string, string> { [EmailKinds.HeaderName] = message.Kind.HeaderValue() };
        if (message.UnsubscribeUrl is { } unsubscribe)
        {
            mail.Headers["List-Unsubscribe"] = $"<{unsubscribe.AbsoluteUri}>";
            mail.Headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click";
        }
        // Links must reach the recipient as written: tracking would rewrite them.
        mail.SetClickTracking(false, false);

        var response = await client.SendEmailAsync(mail, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Body.ReadAsStringAsync(cancellationToken);
            throw new EmailDeliveryException(response.StatusCode, body);
        }
    }
}

/// <summary>SendGrid refused or failed a message; the e-mail queue delivers the job again (host.json's retry rules).</summary>
public sealed class EmailDeliveryException(HttpStatusCode status, string detail)
    : Exception($"SendGrid answered {(int)status}: {detail}")
{
    public HttpStatusCode Status { get; } = status;
}
