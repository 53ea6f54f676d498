using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;

namespace PeerMatch.Groups;

/// <summary>
/// A proposed meeting as an iCalendar file (RFC 5545, <c>text/calendar</c>), for a mail client to add to a calendar.
/// Times are written in UTC: every calendar shows them in its reader's own time zone.
/// </summary>
public static class MeetingCalendar
{
    public const string MediaType = "text/calendar";

    /// <summary>
    /// One event. <paramref name="uid"/> names the meeting for good (a group and which of its proposed times), so a
    /// calendar that is sent the same file twice keeps one event.
    /// </summary>
    public static string Ics(string uid, string summary, string description, DateTimeOffset start, TimeSpan length, DateTimeOffset stamp)
    {
        var calendar = new Calendar { ProductId = "-//PeerMatch//Peer groups//EN", Method = "PUBLISH" };
        calendar.Events.Add(new CalendarEvent
        {
            Uid = uid,
            Summary = summary,
            Description = description,
            Start = new CalDateTime(start.UtcDateTime),
            End = new CalDateTime((start + length).UtcDateTime),
            DtStamp = new CalDateTime(stamp.UtcDateTime),
        });
        return new CalendarSerializer().SerializeToString(calendar) ?? "";
    }
}
