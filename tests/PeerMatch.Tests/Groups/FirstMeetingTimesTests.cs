using PeerMatch.Matching.Groups;

namespace PeerMatch.Tests.Groups;

/// <summary>A group's first-meeting times: inside everyone's working day, in their own time zone, whatever daylight saving does.</summary>
public sealed class FirstMeetingTimesTests
{
    private static void AssertInEveryonesWorkingDay(IReadOnlyList<DateTimeOffset> times, params string[] zones)
    {
        foreach (var time in times)
        {
            foreach (var id in zones)
            {
                // Checked independently of the code under test: local start and end by the zone's own rules.
                var zone = TimeZoneInfo.FindSystemTimeZoneById(id);
                var start = TimeZoneInfo.ConvertTime(time, zone);
                var end = TimeZoneInfo.ConvertTime(time.AddMinutes(90), zone);
                Assert.True(start.DayOfWeek is >= DayOfWeek.Monday and <= DayOfWeek.Friday, $"{time:u} is a {start.DayOfWeek} in {id}");
                Assert.True(start.Hour >= 9 && (end.Hour < 18 || (end.Hour == 18 && end.Minute == 0)) && start.Date == end.Date, $"{time:u} is {start:HH:mm}–{end:HH:mm} in {id}");
            }
        }
    }

    [Fact]
    public void A_group_in_one_city_gets_three_times_on_three_weekdays_from_two_days_after_forming()
    {
        var formed = new DateTimeOffset(2027, 2, 4, 15, 0, 0, TimeSpan.Zero); // a Thursday

        var times = FirstMeetingTimes.Propose(["Europe/Berlin", "Europe/Berlin"], formed);

        Assert.Equal(3, times.Count);
        Assert.Equal(3, times.Select(t => t.UtcDateTime.Date).Distinct().Count());
        Assert.All(times, t => Assert.True(t >= formed.AddDays(1)));
        // Saturday and Sunday are skipped: Monday, Tuesday, Wednesday.
        Assert.Equal([new DateTime(2027, 2, 8), new DateTime(2027, 2, 9), new DateTime(2027, 2, 10)], times.Select(t => t.UtcDateTime.Date));
        AssertInEveryonesWorkingDay(times, "Europe/Berlin");
    }

    [Fact]
    public void A_group_across_the_americas_meets_where_the_working_days_overlap_and_in_the_middle_of_it()
    {
        var times = FirstMeetingTimes.Propose(["America/Los_Angeles", "America/New_York", "America/Chicago"], new DateTimeOffset(2027, 1, 11, 8, 0, 0, TimeSpan.Zero));

        Assert.Equal(3, times.Count);
        AssertInEveryonesWorkingDay(times, "America/Los_Angeles", "America/New_York", "America/Chicago");
        // Overlap: 09:00–15:00 in Los Angeles; starts from 09:00 to 13:30, the middle one 11:00 (or 11:30).
        var la = TimeZoneInfo.ConvertTime(times[0], TimeZoneInfo.FindSystemTimeZoneById("America/Los_Angeles"));
        Assert.InRange(la.TimeOfDay, TimeSpan.FromHours(10.5), TimeSpan.FromHours(11.5));
    }

    [Fact]
    public void Between_the_two_daylight_saving_changes_each_member_keeps_their_own_working_day()
    {
        // 14–27 March 2027: New York is on summer time, Berlin not yet: 5 hours apart instead of 6, then 6 again.
        var times = FirstMeetingTimes.Propose(["Europe/Berlin", "America/New_York"], new DateTimeOffset(2027, 3, 22, 6, 0, 0, TimeSpan.Zero), count: 5);

        Assert.Equal(5, times.Count);
        AssertInEveryonesWorkingDay(times, "Europe/Berlin", "America/New_York");
        Assert.Contains(times, t => t.UtcDateTime.Date <= new DateTime(2027, 3, 26));
        Assert.Contains(times, t => t.UtcDateTime.Date > new DateTime(2027, 3, 28));
    }

    [Fact]
    public void Working_days_that_never_overlap_give_no_time_and_ones_that_meet_across_the_date_line_do()
    {
        // Nine hours apart: Los Angeles closes as Berlin opens.
        Assert.Empty(FirstMeetingTimes.Propose(["America/Los_Angeles", "Europe/Berlin"], new DateTimeOffset(2027, 1, 11, 8, 0, 0, TimeSpan.Zero)));

        // Los Angeles' late afternoon is Tokyo's next morning (a weekday in both).
        var times = FirstMeetingTimes.Propose(["America/Los_Angeles", "Asia/Tokyo"], new DateTimeOffset(2027, 1, 11, 8, 0, 0, TimeSpan.Zero));
        Assert.NotEmpty(times);
        AssertInEveryonesWorkingDay(times, "America/Los_Angeles", "Asia/Tokyo");
    }
}
