using System.ComponentModel.DataAnnotations;

namespace PeerMatch.Functions.Settings;

/// <summary>
/// The <c>PeerMatch</c> section (<c>PeerMatch__*</c> in the environment): what the plumbing needs. Each feature binds its
/// own settings from the same section (<see cref="FeatureOptions.AddFeatureOptions{TOptions}"/>), declared once in its folder.
/// </summary>
public sealed class PeerMatchOptions
{
    public const string Section = "PeerMatch";

    /// <summary>Put in front of every table, queue and container name, so several runs can share one emulator.</summary>
    [RegularExpression("^([a-z][a-z0-9]{0,23})?$", ErrorMessage = "PeerMatch:TablePrefix must be empty or up to 24 lower-case letters and digits, starting with a letter.")]
    public string TablePrefix { get; set; } = "";

    /// <summary>The address people reach the app at; every link in an e-mail starts with it.</summary>
    [Required]
    public Uri PublicBaseUrl { get; set; } = new("http://localhost:7071");

    /// <summary>
    /// The first wait before a single e-mail (one person's message, not a bulk send) is tried again after a 429, a
    /// 5xx, a timeout or a refused key; each later wait doubles (up to an hour), a 429's Retry-After is honoured
    /// instead, and after two days of failing it is recorded as failed.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan EmailRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a worker's hold on work lasts without a sign of life: a bulk send's slot, and standalone, a queue
    /// message being worked on. A worker renews its hold while it lives; one that stopped (a crash) is taken over once
    /// this has passed.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Standalone mode: whether timer functions fire (tests turn them off to own the clock).</summary>
    public bool RunTimers { get; set; } = true;

    /// <summary>Standalone mode: how long a queue worker waits after finding its queue empty.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Standalone mode: how long a failed queue message waits before its next attempt (default: host.json's <c>visibilityTimeout</c>).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan? QueueRetryDelay { get; set; }
}

/// <summary>The <c>Email</c> section.</summary>
public sealed class EmailOptions
{
    public const string Section = "Email";

    /// <summary>Where messages go as <c>.eml</c> files when SendGrid is not configured.</summary>
    [Required]
    public string OutboxPath { get; set; } = ".data/outbox";

    [Required, EmailAddress]
    public string FromAddress { get; set; } = "hello@peermatch.example";

    [Required]
    public string FromName { get; set; } = "PeerMatch";
}

/// <summary>The <c>SendGrid</c> section: with an API key, mail goes through SendGrid.</summary>
public sealed class SendGridOptions
{
    public const string Section = "SendGrid";

    public string? ApiKey { get; set; }

    /// <summary>Overrides the API base address (a local endpoint in tests).</summary>
    public Uri? Host { get; set; }
}
