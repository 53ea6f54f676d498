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
    /// <summary>Declares its charset: names and places in it are not ASCII, and a reader must not take them for it.</summary>
    public const string MediaType = "text/calendar; charset=utf-8";

    /// <summary>
    /// One event. <paramref name="uid"/> names the meeting for good (a group and which of its proposed times), so a
    /// calendar that is sent the same file twice keeps one event.
    /// </summary>
    /// <param name="url">The group's page, which the event links to.</param>
    public static string Ics(string uid, string summary, string description, DateTimeOffset start, TimeSpan length, DateTimeOffset stamp, Uri? url = null)
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
            Url = url,
        });
        return new CalendarSerializer().SerializeToString(calendar) ?? "";
    }
}
