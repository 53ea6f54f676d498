using Microsoft.Extensions.Options;
using MimeKit;
using PeerMatch.Email;
using PeerMatch.Functions.Settings;

namespace PeerMatch.Functions.Email;

/// <summary>Local delivery: each message becomes one RFC 5322 <c>.eml</c> file in the outbox folder.</summary>
public sealed class OutboxEmailSender(IOptions<EmailOptions> options, TimeProvider clock) : IEmailSender, IBulkEmailSender
{
    /// <summary>
    /// One file per recipient, named after the recipient's id in this mailing: sending the same mailing again
    /// (a worker that stopped half-way) rewrites the same files, so nobody finds it twice.
    /// </summary>
    public async Task SendAsync(BulkEmail email, CancellationToken cancellationToken)
    {
        foreach (var recipient in email.Recipients)
        {
            await WriteAsync(email.For(recipient), $"{email.Kind.HeaderValue()}-{recipient.Id}.eml", cancellationToken);
        }
    }

    private static long _sequence;

    // Sorted by name, the folder reads in the order of sending, even for messages of the same millisecond.
    public Task SendAsync(EmailMessage message, CancellationToken cancellationToken) => WriteAsync(message,
        $"{clock.GetUtcNow():yyyyMMdd'T'HHmmssfff}-{Interlocked.Increment(ref _sequence):D8}-{message.Kind.HeaderValue()}-{Guid.NewGuid():N}.eml", cancellationToken);

    private async Task WriteAsync(EmailMessage message, string name, CancellationToken cancellationToken)
    {
        var folder = Path.GetFullPath(options.Value.OutboxPath);
        Directory.CreateDirectory(folder);
        using var mime = MimeMessages.Build(message, options.Value, clock.GetUtcNow());
        // Written aside and moved in, so a reader of the folder never sees half a message.
        var partial = Path.Combine(folder, name + "." + Guid.NewGuid().ToString("N") + ".partial");
        await using (var stream = File.Create(partial))
        {
            await mime.WriteToAsync(stream, cancellationToken);
        }
        File.Move(partial, Path.Combine(folder, name), overwrite: true);
    }
}

public static class MimeMessages
{
    public static MimeMessage Build(EmailMessage message, EmailOptions options, DateTimeOffset date)
    {
        message.EnsureComplete();
        var mime = new MimeMessage
        {
            Subject = message.Subject,
            Date = date,
            MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId(MailboxAddress.Parse(options.FromAddress).Domain),
        };
        mime.From.Add(new MailboxAddress(options.FromName, options.FromAddress));
        mime.To.Add(new MailboxAddress(message.ToName, message.ToAddress));
        mime.Headers.Add(EmailKinds.HeaderName, message.Kind.HeaderValue());
        if (message.UnsubscribeUrl is { } unsubscribe)
        {
            mime.Headers.Add("List-Unsubscribe", $"<{unsubscribe.AbsoluteUri}>");
            mime.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        }
        var body = new BodyBuilder { TextBody = message.TextBody, HtmlBody = message.HtmlBody };
        foreach (var attachment in message.Attachments ?? [])
        {
            body.Attachments.Add(attachment.FileName, attachment.Content, ContentType.Parse(attachment.ContentType));
        }
        mime.Body = body.ToMessageBody();
        return mime;
    }
}
