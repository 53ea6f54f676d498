using System.Globalization;

namespace PeerMatch.Matching;

/// <summary>ISO 8601 weeks, as ids like "2026-W49": the unit of "one digest per week".</summary>
public static class IsoWeeks
{
    /// <summary>Digests go out from this local hour on Monday.</summary>
    public const int SendHour = 8;

    public static string Id(DateOnly date)
    {
        var day = date.ToDateTime(TimeOnly.MinValue);
        return string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(day)}-W{ISOWeek.GetWeekOfYear(day):00}");
    }

    /// <summary>
    /// The week being planned at <paramref name="utcNow"/>: the ISO week of the earliest time zone's
    /// date (UTC+14), so the plan exists before anyone's Monday morning.
    /// </summary>
    public static string Planning(DateTimeOffset utcNow) => Id(DateOnly.FromDateTime(utcNow.UtcDateTime.AddHours(14)));

    /// <summary>Whether, in <paramref name="timeZone"/>, it is Monday <see cref="SendHour"/>:00 or later in <paramref name="week"/>.</summary>
    public static bool IsDue(string week, string timeZone, DateTimeOffset utcNow)
    {
        var local = LocalTime(timeZone, utcNow);
        return Id(DateOnly.FromDateTime(local.DateTime)) == week && (local.DayOfWeek != DayOfWeek.Monday || local.Hour >= SendHour);
    }

    /// <summary>The ISO week it is in <paramref name="timeZone"/> at <paramref name="utcNow"/>.</summary>
    public static string Local(string timeZone, DateTimeOffset utcNow) => Id(DateOnly.FromDateTime(LocalTime(timeZone, utcNow).DateTime));

    private static DateTimeOffset LocalTime(string timeZone, DateTimeOffset utcNow) =>
        TimeZoneInfo.ConvertTime(utcNow, TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var found) ? found : TimeZoneInfo.Utc);

    /// <summary>The Monday that starts the week: pauses are judged against it.</summary>
    public static DateOnly Monday(string week)
    {
        var parts = week.Split("-W");
        return DateOnly.FromDateTime(ISOWeek.ToDateTime(int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture), DayOfWeek.Monday));
    }
}
