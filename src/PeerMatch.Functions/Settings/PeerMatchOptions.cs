using System.ComponentModel.DataAnnotations;

namespace PeerMatch.Functions.Settings;

/// <summary>The <c>PeerMatch</c> section (<c>PeerMatch__*</c> in the environment).</summary>
public sealed class PeerMatchOptions
{
    public const string Section = "PeerMatch";

    /// <summary>Put in front of every table, queue and container name, so several runs can share one emulator.</summary>
    [RegularExpression("^([a-z][a-z0-9]{0,23})?$", ErrorMessage = "PeerMatch:TablePrefix must be empty or up to 24 lower-case letters and digits, starting with a letter.")]
    public string TablePrefix { get; set; } = "";

    /// <summary>The address people reach the app at; every link in an e-mail starts with it.</summary>
    [Required]
    public Uri PublicBaseUrl { get; set; } = new("http://localhost:7071");

    /// <summary>The key organizer routes require in <c>x-functions-key</c> or <c>?code=</c>.</summary>
    [Required(ErrorMessage = "PeerMatch:OrganizerKey is required (set PeerMatch__OrganizerKey).")]
    [MinLength(16, ErrorMessage = "PeerMatch:OrganizerKey must be at least 16 characters.")]
    public string OrganizerKey { get; set; } = "";

    [Range(1, 10)]
    public int SuggestionsPerWeek { get; set; } = 3;

    /// <summary>
    /// The share of people drawn each week to get one suggestion chosen to learn from (a random pair above the quality
    /// floor) rather than the best; their peers get it too. Off by default: the learning evaluation finds it does not
    /// pay within six weeks.
    /// </summary>
    [Range(0, 0.34)]
    public double ExplorationShare { get; set; }

    /// <summary>Sign-ups one client may post per minute; each may send an e-mail.</summary>
    [Range(1, 100_000)]
    public int IntakePerMinute { get; set; } = 10;

    /// <summary>
    /// The first wait before an invitation batch is tried again after a 5xx or a timeout; each later wait doubles (up
    /// to an hour). A 429's Retry-After is honoured instead.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan InvitationRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long <c>GET /api/organizer/coverage</c> may count before it answers with the last count (marked stale) and
    /// leaves the counting to a worker: a count reads every practitioner, suggestion and group.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:03.500")]
    public TimeSpan CoverageCountWithin { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// The first wait before a single e-mail (a confirmation, a digest, an introduction…) is tried again after a 429, a
    /// 5xx, a timeout or a refused key; each later wait doubles (up to an hour), a 429's Retry-After is honoured
    /// instead, and after two days of failing it is recorded as failed.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan EmailRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The folder of content an organizer edits (the draft ground rules and the meeting outline of peer groups, in
    /// <c>groups/</c>); by default the <c>content</c> folder shipped beside the app.
    /// </summary>
    public string? ContentPath { get; set; }

    /// <summary>
    /// How long a worker's hold on work lasts without a sign of life: a campaign's sending slot, and standalone, a queue
    /// message being worked on. A worker renews its hold while it lives; one that stopped (a crash) is taken over once
    /// this has passed.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Wrong organizer keys one client may send in 10 minutes; beyond it, every organizer request from that client is
    /// answered 429 until the 10 minutes are over.
    /// </summary>
    [Range(1, 100_000)]
    public int WrongOrganizerKeysPer10Minutes { get; set; } = 10;

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
