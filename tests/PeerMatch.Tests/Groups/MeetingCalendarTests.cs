using PeerMatch.Groups;

namespace PeerMatch.Tests.Groups;

/// <summary>The .ics a group's member gets for each proposed first meeting.</summary>
public sealed class MeetingCalendarTests
{
    [Fact]
    public void A_proposed_meeting_is_a_calendar_event_in_utc_that_reads_back_as_written()
    {
        var start = new DateTimeOffset(2027, 3, 24, 17, 30, 0, TimeSpan.FromHours(1)); // 16:30 UTC
        const string description = "Check-in; one case, anonymised, with a round of looping.\nBring one question, not a file.";

        var ics = MeetingCalendar.Ics("group-abc-1@peermatch", "First meeting: understanding-based peer group, Berlin", description,
            start, TimeSpan.FromMinutes(90), new DateTimeOffset(2027, 3, 20, 9, 0, 0, TimeSpan.Zero));

        Assert.StartsWith("BEGIN:VCALENDAR\r\n", ics, StringComparison.Ordinal);
        Assert.Contains("DTSTART:20270324T163000Z\r\n", ics, StringComparison.Ordinal);
        Assert.Contains("DTEND:20270324T180000Z\r\n", ics, StringComparison.Ordinal);
        Assert.Contains("METHOD:PUBLISH\r\n", ics, StringComparison.Ordinal);
        var read = Assert.Single(Ical.Net.Calendar.Load(ics)!.Events);
        Assert.Equal(("group-abc-1@peermatch", "First meeting: understanding-based peer group, Berlin", description),
            (read.Uid, read.Summary, read.Description));
        Assert.Equal(start.UtcDateTime, read.Start!.AsUtc);
        Assert.Equal(TimeSpan.FromMinutes(90), read.End!.AsUtc - read.Start.AsUtc);
    }
}
