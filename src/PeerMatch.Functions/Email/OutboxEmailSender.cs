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
            await WriteAsync(email.For(recipient), FileName(email, recipient), cancellationToken);
        }
    }

    /// <summary>A file is in the outbox only once written whole (it is moved in), so one that is there was delivered.</summary>
    public Task<IReadOnlySet<string>?> DeliveredAsync(BulkEmail email, CancellationToken cancellationToken)
    {
        var folder = Path.GetFullPath(options.Value.OutboxPath);
        IReadOnlySet<string> delivered = email.Recipients.Where(r => File.Exists(Path.Combine(folder, FileName(email, r)))).Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        return Task.FromResult<IReadOnlySet<string>?>(delivered);
    }

    private static string FileName(BulkEmail email, BulkRecipient recipient) => $"{email.Kind.Name}-{recipient.Id}.eml";

    private static long _sequence;

    // Sorted by name, the folder reads in the order of sending, even for messages of the same millisecond.
    public Task SendAsync(EmailMessage message, CancellationToken cancellationToken) => WriteAsync(message,
        $"{clock.GetUtcNow():yyyyMMdd'T'HHmmssfff}-{Interlocked.Increment(ref _sequence):D8}-{message.Kind.Name}-{Guid.NewGuid():N}.eml", cancellationToken);

    private async Task WriteAsync(EmailMessage message, string name, CancellationToken cancellationToken)
    {
        var folder = Path.GetFullPath(options.Value.OutboxPath);
        var writing = Path.Combine(folder, WritingFolder);
        Directory.CreateDirectory(writing);
        ForgetAbandonedWrites(writing);
        using var mime = MimeMessages.Build(message, options.Value, clock.GetUtcNow());
        // Written aside, in a hidden folder, and moved in: a reader of the outbox never sees half a message, and a
        // crash mid-write leaves nothing there.
        var partial = Path.Combine(writing, Guid.NewGuid().ToString("N"));
        await using (var stream = File.Create(partial))
        {
            await mime.WriteToAsync(MimeMessages.Format, stream, cancellationToken);
        }
        File.Move(partial, Path.Combine(folder, name), overwrite: true);
    }

    /// <summary>Where messages are written before they are moved into the outbox.</summary>
    public const string WritingFolder = ".writing";

    private int _swept;

    /// <summary>Once a process: what a process that stopped mid-write left (old enough that no writer still holds it).</summary>
    private void ForgetAbandonedWrites(string writing)
    {
        if (Interlocked.Exchange(ref _swept, 1) == 1)
        {
            return;
        }
        foreach (var file in new DirectoryInfo(writing).EnumerateFiles())
        {
            if (file.LastWriteTimeUtc < DateTime.UtcNow.AddMinutes(-10))
            {
                file.Delete();
            }
        }
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
        mime.Headers.Add(EmailKinds.HeaderName, message.Kind.Name);
        if (message.UnsubscribeUrl is { } unsubscribe)
        {
            mime.Headers.Add("List-Unsubscribe", $"<{unsubscribe.AbsoluteUri}>");
            mime.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        }
        var body = new BodyBuilder { TextBody = message.TextBody, HtmlBody = message.HtmlBody };
        foreach (var attachment in message.Attachments ?? [])
        {
            var type = ContentType.Parse(attachment.ContentType);
            if (type.MediaType == "text" && type.Charset is null)
            {
                type.Charset = "utf-8"; // an .ics, say: text that a reader must not take for ASCII
            }
            body.Attachments.Add(attachment.FileName, attachment.Content, type);
        }
        mime.Body = body.ToMessageBody();
        // Standard MIME that every mail program opens: every part 7-bit (quoted-printable or base64), so no line runs
        // past 78 characters (RFC 5322 allows 998) and no 8-bit byte goes undeclared.
        mime.Prepare(EncodingConstraint.SevenBit, maxLineLength: 78);
        return mime;
    }

    /// <summary>CRLF line endings, as RFC 5322 has them, whatever the machine's own.</summary>
    public static readonly FormatOptions Format = new() { NewLineFormat = NewLineFormat.Dos };
}
