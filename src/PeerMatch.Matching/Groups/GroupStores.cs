using PeerMatch.Email;
using PeerMatch.Practitioners;

namespace PeerMatch.Matching.Groups;

/// <summary>A group's states, as the organizer's list names them.</summary>
public static class GroupStates
{
    public const string Inviting = "inviting";
    public const string Formed = "formed";
    public const string CalledOff = "called-off";

    /// <summary>A formed group that fell below 3 members for 4 weeks: closed, its members back among those groups are formed for.</summary>
    public const string WoundDown = "wound-down";
}

/// <summary>
/// A peer group as stored: what it shares, how it meets, who convenes, why these people, and where it stands.
/// <see cref="Version"/> is the store's concurrency token: a change is written only over the version it was made from.
/// </summary>
public sealed record PeerGroup(
    string Id,
    string State,
    string Model,
    string Language,
    string Meeting,
    string ConvenerId,
    IReadOnlyList<string> Reasons,
    string Origin,
    DateTimeOffset CreatedAt,
    DateTimeOffset? FormedAt = null,
    DateTimeOffset? ClosedAt = null,
    IReadOnlyList<DateTimeOffset>? MeetingTimes = null,
    DateTimeOffset? CheckInQueuedAt = null,
    string Version = "")
{
    /// <summary>Forming or formed: its members are not taken into another group.</summary>
    public bool IsOpen => State is GroupStates.Inviting or GroupStates.Formed;

    /// <summary>Formed and without a convener: the member asked to take the role on (5 days to answer), and since when.</summary>
    public string? ConvenerAsked { get; init; }

    public DateTimeOffset? ConvenerAskedAt { get; init; }

    /// <summary>When the convener took the role on after the group formed (by being asked, or stepping up): the others are told once.</summary>
    public DateTimeOffset? ConvenerAcceptedAt { get; init; }

    /// <summary>The standing meeting, once the time poll closed (or the convener set one).</summary>
    public StandingMeeting? Standing { get; init; }

    /// <summary>The <see cref="StandingMeeting.Sequence"/> whose calendar e-mails are queued (-1: none yet).</summary>
    public int CalendarQueued { get; init; } = -1;

    /// <summary>The last meeting whose reminders are queued (-1: none yet).</summary>
    public int RemindedThrough { get; init; } = -1;

    /// <summary>Turns swapped between members: "{meeting}:{role}" to who holds it then.</summary>
    public IReadOnlyDictionary<string, string>? Swaps { get; init; }

    /// <summary>The meetings a member marked as held.</summary>
    public IReadOnlyList<int>? Held { get; init; }

    /// <summary>The check-ins queued so far (one every 6 weeks after forming).</summary>
    public int CheckInRound { get; init; }

    /// <summary>The last sign that the group met: a meeting marked held (its start), or a check-in answered yes.</summary>
    public DateTimeOffset? LastMetAt { get; init; }

    /// <summary>When the convener was nudged about a lapse (one nudge a lapse).</summary>
    public DateTimeOffset? LapsedNudgedAt { get; init; }

    /// <summary>Looking for members: the seeker proposed to fill a seat, waiting for the convener's yes; and those passed over.</summary>
    public string? Proposed { get; init; }

    public IReadOnlyList<string>? PassedOver { get; init; }

    /// <summary>Since when the group has had fewer than 3 members (4 weeks of it winds the group down).</summary>
    public DateTimeOffset? BelowThreeSince { get; init; }

    /// <summary>The group's own ground rules ("- Name: text" lines), once its convener edited the draft; and their version (0: the draft).</summary>
    public string? Rules { get; init; }

    public int RulesVersion { get; init; }

    /// <summary>The version of the rules the members were last told about.</summary>
    public int RulesQueued { get; init; }
}

/// <summary>E-mails about a seat, each queued once: the mark says it is (the job id makes a second send impossible anyway).</summary>
public static class SeatMarks
{
    public const string Invitation = "Invitation";
    public const string Introduction = "Introduction";
    public const string Announced = "Announced";
    public const string LeaveTold = "LeaveTold";
    public const string CalledOffTold = "CalledOffTold";
    public const string ConvenerRequest = "ConvenerRequest";
    public const string ConvenerTold = "ConvenerTold";
    public const string WoundDownTold = "WoundDownTold";
}

/// <summary>
/// One person's place in a group: invited when, their answer (the first counts; no answer in 7 days counts as no and
/// is <see cref="Expired"/>), whether a convener asked to be a member only, when they joined the formed group, when
/// they left, whether a replacement was invited for them, their check-in answer, and the e-mails queued about it.
/// </summary>
public sealed record GroupSeat(
    string GroupId,
    string PractitionerId,
    DateTimeOffset InvitedAt,
    string? Answer = null,
    DateTimeOffset? AnsweredAt = null,
    bool Expired = false,
    bool DeclinedConvening = false,
    DateTimeOffset? JoinedAt = null,
    DateTimeOffset? LeftAt = null,
    bool Replaced = false,
    string? Met = null,
    IReadOnlySet<string>? Queued = null,
    string Version = "")
{
    /// <summary>Said yes and has not left: counts toward forming, and belongs to the group once it formed.</summary>
    public bool IsYes => Answer == "yes" && LeftAt is null;

    /// <summary>In the formed group (joined, not left).</summary>
    public bool IsMember => IsYes && JoinedAt is not null;

    /// <summary>Out of the group: said no (or let the week pass), or left.</summary>
    public bool IsOut => Answer == "no" || LeftAt is not null;

    public bool IsPending => Answer is null && LeftAt is null;

    /// <summary>Said no themselves (not by letting the week pass) after <paramref name="since"/>: they rest from new groups.</summary>
    public bool DeclinedAfter(DateTimeOffset since) => Answer == "no" && !Expired && AnsweredAt > since;

    public bool WasQueued(string mark) => Queued?.Contains(mark) == true;

    /// <summary>Their answer to the time poll: the proposed times (by index) that suit them, the rhythm they prefer, and whether they take turns.</summary>
    public IReadOnlyList<int>? TimesSuit { get; init; }

    public int? EveryWeeks { get; init; }

    /// <summary>Whether they take turns facilitating a meeting and bringing its case (asked with the time poll; null: not said).</summary>
    public bool? TakesTurns { get; init; }

    public DateTimeOffset? PolledAt { get; init; }

    /// <summary>The check-in round their <see cref="Met"/> answers (0: the first check-in, from before rounds were counted).</summary>
    public int MetRound { get; init; }

    /// <summary>Whether they agree to the group's ground rules (null: not said), and which version they answered.</summary>
    public bool? RulesAgreed { get; init; }

    public int RulesVersionAnswered { get; init; }

    /// <summary>Their answer to the rules as they now stand: agreed, objected, or null (not yet, or an older version).</summary>
    public bool? AgreesTo(int rulesVersion) => RulesVersionAnswered == rulesVersion ? RulesAgreed : null;
}

/// <summary>A group with all its seats, read together (they share a partition).</summary>
public sealed record GroupWithSeats(PeerGroup Group, IReadOnlyList<GroupSeat> Seats)
{
    public GroupSeat? Seat(string practitionerId) => Seats.FirstOrDefault(s => s.PractitionerId == practitionerId);

    public IEnumerable<GroupSeat> Members => Seats.Where(s => s.IsMember);
}

/// <summary>
/// Peer groups and their seats, with who is in which group and why a seeker waits; erasing someone takes them out of
/// every group without a word to anyone.
/// </summary>
public interface IGroupStore : IPersonalDataStore
{
    /// <summary>Stores a new group with its seats, in one transaction (each member's pointer to it first).</summary>
    Task CreateAsync(PeerGroup group, IReadOnlyList<GroupSeat> seats, CancellationToken cancellationToken);

    Task<GroupWithSeats?> GetAsync(string groupId, CancellationToken cancellationToken);

    IAsyncEnumerable<GroupWithSeats> AllAsync(CancellationToken cancellationToken);

    /// <summary>The groups a practitioner was ever invited into (newest first).</summary>
    Task<IReadOnlyList<string>> GroupIdsOfAsync(string practitionerId, CancellationToken cancellationToken);

    /// <summary>Writes a changed seat, unless it changed since it was read: false then.</summary>
    Task<bool> TryUpdateSeatAsync(GroupSeat seat, CancellationToken cancellationToken);

    /// <summary>Writes the group and these seats in one transaction, unless any changed since read: false then.</summary>
    Task<bool> TryUpdateAsync(PeerGroup group, IReadOnlyList<GroupSeat> seats, CancellationToken cancellationToken);

    /// <summary>Adds a newcomer's seat to a formed group, written with the group (over its version) in one transaction; false when the group changed.</summary>
    Task<bool> TryAddSeatAsync(PeerGroup group, GroupSeat seat, CancellationToken cancellationToken);

    /// <summary>Adds a replacement's seat and marks the seat it replaces, in one transaction; false when either changed.</summary>
    Task<bool> TryReplaceAsync(GroupSeat replaced, GroupSeat replacement, CancellationToken cancellationToken);

    /// <summary>Notes that an e-mail (<see cref="SeatMarks"/>) about a seat is queued.</summary>
    Task MarkQueuedAsync(GroupSeat seat, string mark, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>
    /// Takes the formation lease (one formation at a time, so nobody lands in two new groups); a lease whose holder
    /// died is taken over after a while. False while another holds it.
    /// </summary>
    Task<bool> TryLeaseFormationAsync(string holder, DateTimeOffset now, CancellationToken cancellationToken);

    Task ReleaseFormationAsync(string holder, CancellationToken cancellationToken);

    /// <summary>Whether the week's groups were formed; and recording that they were.</summary>
    Task<bool> WeekFormedAsync(string week, CancellationToken cancellationToken);

    Task MarkWeekFormedAsync(string week, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Why each seeker left out of the last formation waits (replacing what was said before).</summary>
    Task SaveWaitingAsync(IEnumerable<UnplacedSeeker> unplaced, DateTimeOffset at, CancellationToken cancellationToken);

    Task<NoGroupReason?> WaitingReasonAsync(string practitionerId, CancellationToken cancellationToken);

    /// <summary>Everyone's why-not, in one read: practitioner id to reason.</summary>
    Task<Dictionary<string, NoGroupReason>> WaitingReasonsAsync(CancellationToken cancellationToken);
}

/// <summary>
/// What peer groups send: invitations (and a called-off notice), introductions (and news of who joined, left, or took
/// the convener role on), check-ins, and the request to convene.
/// </summary>
public static class GroupEmails
{
    public static readonly EmailKind Invitation = new("group-invitation");
    public static readonly EmailKind Introduction = new("group-introduction");
    public static readonly EmailKind CheckIn = new("group-check-in");
    public static readonly EmailKind ConvenerRequest = new("group-convener-request");
    public static readonly EmailKind Reminder = new("group-meeting-reminder");
}

/// <summary>
/// The e-mails of peer groups. Job ids name the group (and, hashed, the person an announcement is about), so each is
/// sent once per recipient however often it is queued; the context tells the composer what to say.
/// </summary>
public static class GroupEmailJobs
{

    public static EmailJob Invitation(string groupId, string practitionerId) =>
        new($"group-invitation-{groupId}", GroupEmails.Invitation, practitionerId, groupId);

    public static EmailJob CalledOff(string groupId, string practitionerId) =>
        new($"group-called-off-{groupId}", GroupEmails.Invitation, practitionerId, $"{groupId}:{GroupNews.CalledOff}");

    public static EmailJob Introduction(string groupId, string practitionerId) =>
        new($"group-introduction-{groupId}", GroupEmails.Introduction, practitionerId, groupId);

    public static EmailJob Joined(string groupId, string newcomerId, string practitionerId) =>
        new($"group-joined-{groupId}-{MatchingEmailJobs.Hash(newcomerId)}", GroupEmails.Introduction, practitionerId, $"{groupId}:{GroupNews.Joined}:{newcomerId}");

    public static EmailJob Left(string groupId, string leaverId, string practitionerId) =>
        new($"group-left-{groupId}-{MatchingEmailJobs.Hash(leaverId)}", GroupEmails.Introduction, practitionerId, $"{groupId}:{GroupNews.Left}:{leaverId}");

    /// <summary>Asks a member to convene; each member is asked at most once per group (a no, or silence, is not asked again).</summary>
    public static EmailJob ConvenerRequest(string groupId, string practitionerId) =>
        new($"group-convener-request-{groupId}", GroupEmails.ConvenerRequest, practitionerId, groupId);

    /// <summary>Tells a member who took the convener role on.</summary>
    public static EmailJob ConvenerChosen(string groupId, string convenerId, string practitionerId) =>
        new($"group-convener-{groupId}-{MatchingEmailJobs.Hash(convenerId)}", GroupEmails.Introduction, practitionerId, $"{groupId}:{GroupNews.Convener}:{convenerId}");

    /// <summary>The standing meeting, with its calendar file: once per change (<paramref name="sequence"/>).</summary>
    public static EmailJob Meeting(string groupId, int sequence, string practitionerId) =>
        new($"group-meeting-{groupId}-{sequence}", GroupEmails.Introduction, practitionerId, $"{groupId}:{GroupNews.Meeting}:{sequence}");

    /// <summary>Two days before meeting <paramref name="meeting"/>.</summary>
    public static EmailJob Reminder(string groupId, int meeting, string practitionerId) =>
        new($"group-reminder-{groupId}-{meeting}", GroupEmails.Reminder, practitionerId, $"{groupId}:{GroupNews.Reminder}:{meeting}");

    /// <summary>Check-in <paramref name="round"/> (one every 6 weeks); the first keeps the id it always had.</summary>
    public static EmailJob CheckIn(string groupId, string practitionerId, int round = 1) =>
        new(round <= 1 ? $"group-check-in-{groupId}" : $"group-check-in-{groupId}-{round}", GroupEmails.CheckIn, practitionerId,
            $"{groupId}:{GroupNews.CheckIn}:{round}");

    /// <summary>The convener's one nudge for a lapse that began at <paramref name="since"/> (the group's last sign of meeting).</summary>
    public static EmailJob Lapsed(string groupId, string practitionerId, DateTimeOffset since) =>
        new($"group-lapsed-{groupId}-{since.ToUnixTimeSeconds()}", GroupEmails.CheckIn, practitionerId, $"{groupId}:{GroupNews.Lapsed}");

    /// <summary>The convener changed the group's ground rules (version <paramref name="version"/>): each member is shown them.</summary>
    public static EmailJob Rules(string groupId, int version, string practitionerId) =>
        new($"group-rules-{groupId}-{version}", GroupEmails.Introduction, practitionerId, $"{groupId}:{GroupNews.Rules}:{version}");

    /// <summary>The group has wound down (with the standing meeting's cancellation).</summary>
    public static EmailJob WoundDown(string groupId, string practitionerId) =>
        new($"group-wound-down-{groupId}", GroupEmails.Introduction, practitionerId, $"{groupId}:{GroupNews.WoundDown}");

    /// <summary>A job's context read back: the group, and what happened to whom, if it is news.</summary>
    public static (string GroupId, string? News, string? About) Read(string? context) => (context ?? "").Split(':') switch
    {
        [var group, var news, var about] => (group, news, about),
        [var group, var news] => (group, news, null),
        [var group] => (group, null, null),
        _ => ("", null, null),
    };
}

/// <summary>What an announcement about a group says happened.</summary>
public static class GroupNews
{
    public const string Joined = "joined";
    public const string Left = "left";
    public const string CalledOff = "called-off";
    public const string Convener = "convener";
    public const string Meeting = "meeting";
    public const string Reminder = "reminder";
    public const string CheckIn = "check-in";
    public const string Lapsed = "lapsed";
    public const string WoundDown = "wound-down";
    public const string Rules = "rules";
}
