using PeerMatch.Email;

namespace PeerMatch.Matching;

/// <summary>
/// A suggestion as stored: who got whom in which week, why, whether it was chosen to learn from rather than as the
/// best (<see cref="Explored"/>), and what they answered.
/// </summary>
public sealed record StoredSuggestion(
    string PractitionerId,
    string PeerId,
    string Week,
    string RunId,
    float Score,
    IReadOnlyList<string> Reasons,
    float[] Features,
    DateTimeOffset CreatedAt,
    string? Answer = null,
    DateTimeOffset? AnsweredAt = null,
    string? Met = null,
    bool Explored = false)
{
    /// <summary>Deterministic, so a repeated run writes the same row, and the other side's row is found without a query.</summary>
    public string Id => IdFor(Week, PeerId);

    /// <summary>The same suggestion as the peer received it.</summary>
    public string ReciprocalId => IdFor(Week, PractitionerId);

    public static string IdFor(string week, string peerId) => $"{week}-{peerId}";

    /// <summary>
    /// An answer as a training example: "yes" is positive, unless a follow-up later says the two
    /// never met; "no" is negative.
    /// </summary>
    public LabelledPair? ToLabelledPair() =>
        Answer is null || Features.Length != PairFeatures.Count
            ? null
            : new LabelledPair(PractitionerId, PeerId, Features, Answer == "yes" && Met != "no");
}

/// <summary>
/// Who is in a week's plan, in which time zone when planned (null in plans stored before it was kept),
/// how many suggestions they have and from which runs (the week's plan, and runs that planned late
/// joiners with them), why they got none, and whether their digest is queued.
/// </summary>
public sealed record WeekPlanEntry(string PractitionerId, string? TimeZone, int Suggestions, string? NoSuggestionReason, DateTimeOffset? DigestQueuedAt, IReadOnlyList<string>? RunIds = null)
{
    /// <summary>Whether a stored suggestion belongs to this plan (rows of a run that crashed before its plan was written do not).</summary>
    public bool Includes(StoredSuggestion suggestion) => RunIds?.Contains(suggestion.RunId) == true;
}

/// <summary>An introduced pair: each side's suggestion (practitioner id, suggestion id).</summary>
public sealed record Introduction((string Practitioner, string Suggestion) Low, (string Practitioner, string Suggestion) High, DateTimeOffset IntroducedAt)
{
    /// <summary>The pair's key, the same whichever side is asked: "{lower id}-{higher id}".</summary>
    public string Pair => $"{Low.Practitioner}-{High.Practitioner}";
}

/// <summary>The message that starts a matching run.</summary>
public sealed record MatchRunRequest(string RunId, bool DryRun, bool Force);

/// <summary>A suggestion a dry run would make, as the organizer sees it (<see cref="Explored"/>: chosen to learn from).</summary>
public sealed record PreviewSuggestion(string PractitionerId, string PractitionerName, string PeerId, string PeerName, float Score, IReadOnlyList<string> Reasons, bool Explored = false);

/// <summary>
/// A run as the organizer sees it: <c>GET /api/organizer/match-runs/{runId}</c>, with the model that serves after it,
/// what the week's retraining did and how many suggestions were chosen to learn from (on the run that planned the week).
/// </summary>
public sealed record MatchRunStatus(
    string RunId,
    string Status,
    bool DryRun,
    bool Force,
    string? Week,
    int Practitioners,
    int Suggestions,
    int EmailsSent,
    string? Error,
    IReadOnlyList<PreviewSuggestion>? Preview = null,
    int NewlyPlanned = 0,
    string? Model = null,
    string? Training = null,
    int Explored = 0,
    int PreviewPage = 0,
    int PreviewPages = 0,
    bool PreviewForgotten = false)
{
    /// <summary>A dry run's preview is read a page at a time (<c>?page=</c>, from 0), this many suggestions a page.</summary>
    public const int PreviewPageSize = 1_000;
}

/// <summary>Stored suggestions; each person's history, and the first answer to each.</summary>
public interface ISuggestionStore
{
    Task SaveAsync(IEnumerable<StoredSuggestion> suggestions, CancellationToken cancellationToken);

    Task<StoredSuggestion?> GetAsync(string practitionerId, string id, CancellationToken cancellationToken);

    Task<List<StoredSuggestion>> ForWeekAsync(string practitionerId, string week, CancellationToken cancellationToken);

    /// <summary>Records <paramref name="value"/> in <paramref name="field"/> unless it holds one already, or the suggestion is gone (erased).</summary>
    Task<RecordedOnce> TryRecordOnceAsync(StoredSuggestion suggestion, AnswerField field, string value, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Every stored suggestion (the weekly run's exclusions; retraining's answers).</summary>
    IAsyncEnumerable<StoredSuggestion> AllAsync(CancellationToken cancellationToken);
}

/// <summary>What a person answered about a suggestion: whether to connect, and later whether they met.</summary>
public enum AnswerField { Answer, Met }

/// <summary>What became of a first answer: recorded, or not because one was there already or the suggestion is gone.</summary>
public enum RecordedOnce { Recorded, AlreadyRecorded, Gone }

/// <summary>Week plans: planned once per week (a claim, then a marker), and each digest queued once.</summary>
public interface IWeekPlanStore
{
    /// <summary>
    /// Claims a planning step of <paramref name="week"/> for one run (<see cref="PlanningStep"/>), so two runs
    /// never take it at once. A claim whose run died is taken over after a while.
    /// </summary>
    Task<bool> TryClaimAsync(string week, string runId, PlanningStep planning, CancellationToken cancellationToken);

    /// <summary>Gives a claim up when its step is done (the late-joiner step recurs; the week's plan does not).</summary>
    Task ReleaseClaimAsync(string week, string runId, PlanningStep planning, CancellationToken cancellationToken);

    /// <summary>When the practitioners of the week's plan were read (so who changed since is a late joiner), or null while the week is not planned.</summary>
    Task<DateTimeOffset?> PlannedAtAsync(string week, CancellationToken cancellationToken);

    /// <summary>Stores the entries, then the marker that says the week is planned from the practitioners as they were at <paramref name="readAt"/>.</summary>
    Task SaveAsync(string week, string runId, DateTimeOffset readAt, IEnumerable<WeekPlanEntry> entries, CancellationToken cancellationToken);

    /// <summary>Adds late joiners' entries, and the added suggestions of those planned with them, to a planned week.</summary>
    Task AddAsync(string week, IEnumerable<WeekPlanEntry> entries, CancellationToken cancellationToken);

    IAsyncEnumerable<WeekPlanEntry> EntriesAsync(string week, CancellationToken cancellationToken);

    Task<WeekPlanEntry?> GetAsync(string week, string practitionerId, CancellationToken cancellationToken);

    /// <summary>
    /// Marks a practitioner's digest queued for the week, unless it already is: true when this call marked
    /// it, so that of simultaneous runs exactly one counts each digest.
    /// </summary>
    Task<bool> MarkDigestQueuedAsync(string week, string practitionerId, DateTimeOffset at, CancellationToken cancellationToken);
}

/// <summary>The two planning steps of a week: the plan itself (once), and each later planning of late joiners.</summary>
public enum PlanningStep { Week, LateJoiners }

/// <summary>Introduced pairs: recorded once, whoever says the second yes.</summary>
public interface IIntroductionStore
{
    /// <summary>Records the pair; false when it was already introduced.</summary>
    Task<bool> TryRecordAsync(StoredSuggestion one, StoredSuggestion other, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Introductions made no later than <paramref name="introducedBy"/> whose follow-up has not been queued.</summary>
    Task<List<Introduction>> AwaitingFollowUpAsync(DateTimeOffset introducedBy, CancellationToken cancellationToken);

    Task MarkFollowUpQueuedAsync(Introduction introduction, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Removes every introduction of the practitioner (one written while their profile was being erased, say).</summary>
    Task EraseAsync(string practitionerId, CancellationToken cancellationToken);
}

/// <summary>Matching runs: their state, and the queue they wait on.</summary>
public interface IMatchRunStore
{
    Task CreateAsync(MatchRunRequest request, CancellationToken cancellationToken);

    /// <summary>Puts a created run on the queue that the run worker drains.</summary>
    Task EnqueueAsync(MatchRunRequest request, CancellationToken cancellationToken);

    Task CompleteAsync(string runId, MatchRunOutcome outcome, IReadOnlyList<PreviewSuggestion>? preview, CancellationToken cancellationToken);

    Task FailAsync(string runId, string reason, CancellationToken cancellationToken);

    /// <summary>The run, with page <paramref name="page"/> of a dry run's preview (ordered by practitioner, then peer).</summary>
    Task<MatchRunStatus?> GetAsync(string runId, int page, CancellationToken cancellationToken);
}

/// <summary>Ranker versions: the one that scores now, and promotion of a better one.</summary>
public interface IRankerStore
{
    /// <summary>The promoted ranker, or the prior until one is promoted.</summary>
    Task<IPairScorer> CurrentAsync(CancellationToken cancellationToken);

    Task PromoteAsync(LearnedRanker ranker, CancellationToken cancellationToken);
}

/// <summary>What matching sends: the weekly digest, an introduction when both say yes, and the follow-up two weeks later.</summary>
public static class MatchingEmails
{
    public static readonly EmailKind Digest = new("digest");
    public static readonly EmailKind Introduction = new("introduction");
    public static readonly EmailKind FollowUp = new("follow-up");
}

/// <summary>
/// E-mail jobs of matching: their ids make a repeated enqueue harmless. A job id is kept with the recipient's
/// deliveries, so one about a pair names the pair by a hash: erasing the peer leaves no id of theirs behind.
/// </summary>
public static class MatchingEmailJobs
{

    public static EmailJob Digest(string practitionerId, string week) => new($"digest-{week}", MatchingEmails.Digest, practitionerId, week);

    public static EmailJob Introduction(string pair, StoredSuggestion suggestion) =>
        new($"intro-{Hash(pair)}", MatchingEmails.Introduction, suggestion.PractitionerId, suggestion.Id);

    public static EmailJob FollowUp(Introduction introduction, (string Practitioner, string Suggestion) side) =>
        new($"follow-up-{Hash(introduction.Pair)}", MatchingEmails.FollowUp, side.Practitioner, side.Suggestion);

    internal static string Hash(string pair) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(pair)))[..32];
}
