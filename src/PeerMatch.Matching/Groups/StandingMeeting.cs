using System.Globalization;

namespace PeerMatch.Matching.Groups;

/// <summary>
/// A formed group's standing meeting: the wall-clock time of its first occurrence in the convener's time zone, every
/// 2 or 4 weeks. The local time holds across daylight-saving changes (17:30 stays 17:30 where the convener lives), as
/// a calendar's recurring event does. <see cref="Sequence"/> rises with each change, as the calendar file's SEQUENCE.
/// </summary>
public sealed record StandingMeeting(DateTime LocalStart, string TimeZone, int EveryWeeks, int Sequence = 0)
{
    public static readonly TimeSpan Length = FirstMeetingTimes.Length;

    /// <summary>The rhythms a group may choose.</summary>
    public static readonly int[] Rhythms = [2, 4];

    /// <summary>A poll's rhythm when nobody chose one, or as many chose each.</summary>
    public const int DefaultEveryWeeks = 4;

    /// <summary>The start of occurrence <paramref name="n"/> (0 is the first), in UTC.</summary>
    public DateTimeOffset Start(int n)
    {
        var zone = Zone(TimeZone);
        var local = DateTime.SpecifyKind(LocalStart.AddDays(7 * EveryWeeks * n), DateTimeKind.Unspecified);
        // A wall-clock time skipped by a daylight-saving change (never inside working hours, but a convener may type one) moves on an hour.
        if (zone.IsInvalidTime(local))
        {
            local = local.AddHours(1);
        }
        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, zone), TimeSpan.Zero);
    }

    /// <summary>The first occurrence that starts after <paramref name="moment"/>.</summary>
    public int NextIndex(DateTimeOffset moment)
    {
        var period = TimeSpan.FromDays(7 * EveryWeeks);
        var n = Math.Max(0, (int)Math.Floor((moment - Start(0)) / period));
        while (Start(n) <= moment)
        {
            n++;
        }
        return n;
    }

    /// <summary>"Tuesday 8 December, 17:30–19:00 (America/Los_Angeles)": occurrence <paramref name="n"/> in a reader's zone.</summary>
    public string Describe(int n, string readerZone) => DescribeTime(Start(n), readerZone);

    /// <summary>"every 4 weeks on Tuesday at 17:30 (America/Los_Angeles)", in the convener's zone.</summary>
    public string Rhythm => string.Create(CultureInfo.InvariantCulture, $"every {EveryWeeks} weeks on {LocalStart:dddd} at {LocalStart:HH:mm} ({TimeZone})");

    public static string DescribeTime(DateTimeOffset start, string readerZone)
    {
        var zone = Zone(readerZone);
        var local = TimeZoneInfo.ConvertTime(start, zone);
        var end = TimeZoneInfo.ConvertTime(start + Length, zone);
        return string.Create(CultureInfo.InvariantCulture, $"{local:dddd d MMMM}, {local:HH:mm}–{end:HH:mm} ({zone.Id})");
    }

    /// <summary>The standing meeting that starts at <paramref name="start"/> (UTC), kept in <paramref name="timeZone"/>'s wall-clock time.</summary>
    public static StandingMeeting At(DateTimeOffset start, string timeZone, int everyWeeks, int sequence = 0) =>
        new(TimeZoneInfo.ConvertTime(start, Zone(timeZone)).DateTime, Zone(timeZone).Id, everyWeeks, sequence);

    /// <summary>An unknown time zone counts as UTC, as everywhere else.</summary>
    public static TimeZoneInfo Zone(string id) => TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;
}

/// <summary>Who does what at one meeting: who facilitates it and who brings its case (null: nobody takes turns yet).</summary>
public sealed record MeetingTurns(int Meeting, string? Facilitator, string? CaseBringer);

/// <summary>
/// Facilitating a meeting and bringing its case rotate among the members who agreed to take turns, in the order they
/// joined: at meeting n the n-th facilitates and the next one brings the case. A swap between two members holds for
/// the two meetings it names (and only while both are still members).
/// </summary>
public static class Turns
{
    public const string Facilitator = "facilitator";
    public const string CaseBringer = "case";

    public static bool IsRole(string? role) => role is Facilitator or CaseBringer;

    public static MeetingTurns Of(GroupWithSeats group, int meeting)
    {
        var takers = Takers(group);
        string? Rotation(int shift) => takers.Count == 0 || (shift > 0 && takers.Count < 2) ? null : takers[(meeting + shift) % takers.Count];
        string? Held(string role, int shift) =>
            group.Group.Swaps?.GetValueOrDefault(Key(meeting, role)) is { } swapped && group.Seat(swapped) is { IsMember: true } ? swapped : Rotation(shift);
        return new MeetingTurns(meeting, Held(Facilitator, 0), Held(CaseBringer, 1));
    }

    /// <summary>Those who agreed to take turns, in the order they joined.</summary>
    public static List<string> Takers(GroupWithSeats group) => group.Members.Where(s => s.TakesTurns == true)
        .OrderBy(s => s.JoinedAt).ThenBy(s => s.PractitionerId, StringComparer.Ordinal).Select(s => s.PractitionerId).ToList();

    /// <summary>
    /// The swaps after <paramref name="who"/> hands their <paramref name="role"/> at <paramref name="meeting"/> to whoever
    /// has it at <paramref name="other"/>, taking theirs in return; null when <paramref name="who"/> does not hold it then,
    /// or nobody holds it at the other meeting.
    /// </summary>
    public static IReadOnlyDictionary<string, string>? Swap(GroupWithSeats group, string who, string role, int meeting, int other)
    {
        string? Holder(int n) => role == Facilitator ? Of(group, n).Facilitator : Of(group, n).CaseBringer;
        if (meeting == other || Holder(meeting) != who || Holder(other) is not { } theirs || theirs == who)
        {
            return null;
        }
        var swaps = new Dictionary<string, string>(group.Group.Swaps ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            [Key(meeting, role)] = theirs,
            [Key(other, role)] = who,
        };
        return swaps;
    }

    private static string Key(int meeting, string role) => string.Create(CultureInfo.InvariantCulture, $"{meeting}:{role}");
}
