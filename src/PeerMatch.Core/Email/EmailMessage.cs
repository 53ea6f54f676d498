namespace PeerMatch.Email;

/// <summary>
/// A kind of message, named as its <c>X-PeerMatch-Kind</c> header reads ("weekly-news"). Each feature declares the kinds it
/// sends; two kinds are the same when their names are. <see cref="ReachesUnsubscribed"/>: whether it may go to an
/// address that unsubscribed (only one that answers an explicit new request from that address).
/// </summary>
public sealed record EmailKind(string Name, bool ReachesUnsubscribed = false)
{
    public bool Equals(EmailKind? other) => other is not null && other.Name == Name;

    public override int GetHashCode() => Name.GetHashCode(StringComparison.Ordinal);

    public override string ToString() => Name;
}

public static class EmailKinds
{
    public const string HeaderName = "X-PeerMatch-Kind";
}

/// <summary>
/// One message to one recipient. <see cref="UnsubscribeUrl"/> is required for every kind that does not reach
/// unsubscribed addresses (RFC 8058 one-click).
/// </summary>
public sealed record EmailMessage(
    EmailKind Kind,
    string ToAddress,
    string ToName,
    string Subject,
    string TextBody,
    string HtmlBody,
    Uri? UnsubscribeUrl,
    IReadOnlyList<EmailAttachment>? Attachments = null)
{
    public void EnsureComplete()
    {
        if (!Kind.ReachesUnsubscribed && UnsubscribeUrl is null)
        {
            throw new InvalidOperationException($"A {Kind.Name} e-mail must carry a List-Unsubscribe link.");
        }
    }
}

/// <summary>A file sent with a message: a proposed meeting as an <c>.ics</c> event, say.</summary>
public sealed record EmailAttachment(string FileName, string ContentType, byte[] Content);

/// <summary>The seam to whatever delivers mail: SendGrid in Azure, an outbox folder locally.</summary>
public interface IEmailSender
{
    Task SendAsync(EmailMessage message, CancellationToken cancellationToken);
}

/// <summary>
/// Why a send failed, and whether trying again later can help (a 429, a 5xx, a timeout, a refused key that an operator
/// can mend) or cannot (the service refused the message itself).
/// </summary>
public sealed class EmailSendException(string message, bool transient, TimeSpan? retryAfter = null, Exception? inner = null) : Exception(message, inner)
{
    public bool Transient { get; } = transient;

    /// <summary>What the service asked for (a 429's Retry-After), if anything.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;

    /// <summary>
    /// How long to wait before attempt <paramref name="attempts"/> + 1: the service's Retry-After (within a second and an
    /// hour), or a wait that doubles from <paramref name="first"/> up to an hour.
    /// </summary>
    public TimeSpan RetryDelay(int attempts, TimeSpan first)
    {
        var hour = TimeSpan.FromHours(1);
        if (RetryAfter is { } asked)
        {
            return asked < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : asked > hour ? hour : asked;
        }
        var doubled = first * Math.Pow(2, Math.Min(attempts - 1, 20));
        return doubled > hour ? hour : doubled;
    }
}
