namespace PeerMatch.Matching.Groups;

/// <summary>
/// Times for a group's first meeting that fall inside everyone's working hours (09:00–18:00 on a weekday, in each
/// member's own time zone, on that day's offset: daylight saving changes on different dates in different places).
/// </summary>
public static class FirstMeetingTimes
{
    public static readonly TimeSpan Length = TimeSpan.FromMinutes(90);

    private static readonly TimeSpan DayStarts = TimeSpan.FromHours(9);
    private static readonly TimeSpan DayEnds = TimeSpan.FromHours(18);
    private static readonly TimeSpan Step = TimeSpan.FromMinutes(30);

    /// <summary>How far ahead to look before saying there is no time that suits everyone.</summary>
    private const int DaysAhead = 28;

    /// <summary>
    /// Up to <paramref name="count"/> start times (UTC), one a day on different days, from two days after
    /// <paramref name="after"/> (time to read the e-mail and answer): each the middle of the half-hour starts on that
    /// day that suit everyone, so nobody is asked for their first or last working minutes. Empty when the members'
    /// working hours never overlap by <see cref="Length"/> (a group the formation rules would not make). An unknown
    /// time zone counts as UTC.
    /// </summary>
    public static IReadOnlyList<DateTimeOffset> Propose(IEnumerable<string> timeZones, DateTimeOffset after, int count = 3)
    {
        var zones = timeZones.Distinct(StringComparer.Ordinal)
            .Select(id => TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc)
            .ToList();
        var times = new List<DateTimeOffset>();
        var firstDay = new DateTimeOffset(after.UtcDateTime.Date, TimeSpan.Zero).AddDays(2);
        for (var day = 0; day < DaysAhead && times.Count < count; day++)
        {
            var dayStart = firstDay.AddDays(day);
            var suitable = new List<DateTimeOffset>();
            for (var start = dayStart; start < dayStart.AddDays(1); start += Step)
            {
                if (zones.All(zone => InWorkingHours(zone, start)))
                {
                    suitable.Add(start);
                }
            }
            if (suitable.Count > 0)
            {
                times.Add(suitable[(suitable.Count - 1) / 2]);
            }
        }
        return times;
    }

    /// <summary>Whether a meeting starting at <paramref name="start"/> begins and ends within 09:00–18:00 of one weekday in <paramref name="zone"/>.</summary>
    public static bool InWorkingHours(TimeZoneInfo zone, DateTimeOffset start)
    {
        var from = TimeZoneInfo.ConvertTime(start, zone);
        var to = TimeZoneInfo.ConvertTime(start + Length, zone);
        return from.Date == to.Date && from.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)
            && from.TimeOfDay >= DayStarts && to.TimeOfDay <= DayEnds;
    }
}
