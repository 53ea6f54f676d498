namespace PeerMatch.Email;

/// <summary>
/// One e-mail to send, as it waits on the e-mail queue. It names ids, never an address; the sender
/// looks the recipient up when it sends, so an erased or unsubscribed person gets nothing.
/// <see cref="Context"/> says what the message is about: a week, or the thing a message is about.
/// </summary>
/// <remarks>
/// A job id derived from what the message is about ("weekly-2026-W49") makes a repeated enqueue
/// harmless: each job id is sent once per recipient.
/// </remarks>
public sealed record EmailJob(string JobId, EmailKind Kind, string PractitionerId, string? Context = null)
{
    /// <summary>A job that is its own occasion (a reply to one request): a fresh id each time.</summary>
    public static EmailJob Fresh(EmailKind kind, string practitionerId) => new(Guid.NewGuid().ToString("N"), kind, practitionerId);
}

/// <summary>
/// Schedules e-mail. Sending happens in a queue worker, so a SendGrid outage delays mail instead of
/// failing the request or losing it.
/// </summary>
public interface IEmailScheduler
{
    Task EnqueueAsync(EmailJob job, CancellationToken cancellationToken);
}

/// <summary>How long an e-mail that meets failures that may pass keeps being tried before it is recorded as failed.</summary>
public static class EmailRetries
{
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromDays(2);
}
