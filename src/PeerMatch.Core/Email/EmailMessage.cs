namespace PeerMatch.Email;

/// <summary>The kinds of message PeerMatch sends; each goes out with an <c>X-PeerMatch-Kind</c> header.</summary>
public enum EmailKind
{
    Confirmation,
    ManageLink,
    Digest,
    Introduction,
    FollowUp,
    Invitation,
    GroupInvitation,
    GroupIntroduction,
    GroupCheckIn,
}

public static class EmailKinds
{
    public const string HeaderName = "X-PeerMatch-Kind";

    public static string HeaderValue(this EmailKind kind) => kind switch
    {
        EmailKind.Confirmation => "confirmation",
        EmailKind.ManageLink => "manage-link",
        EmailKind.Digest => "digest",
        EmailKind.Introduction => "introduction",
        EmailKind.FollowUp => "follow-up",
        EmailKind.Invitation => "invitation",
        EmailKind.GroupInvitation => "group-invitation",
        EmailKind.GroupIntroduction => "group-introduction",
        EmailKind.GroupCheckIn => "group-check-in",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>
    /// Whether this kind goes to an address that unsubscribed: only a confirmation, which answers an
    /// explicit new sign-up from that address.
    /// </summary>
    public static bool ReachesUnsubscribed(this EmailKind kind) => kind == EmailKind.Confirmation;
}

/// <summary>
/// One message to one recipient. <see cref="UnsubscribeUrl"/> is required for every kind but
/// <see cref="EmailKind.Confirmation"/> (RFC 8058 one-click).
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
        if (!Kind.ReachesUnsubscribed() && UnsubscribeUrl is null)
        {
            throw new InvalidOperationException($"A {Kind.HeaderValue()} e-mail must carry a List-Unsubscribe link.");
        }
    }
}

/// <summary>A file sent with a message: a group's proposed meeting as an <c>.ics</c> event, say.</summary>
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
