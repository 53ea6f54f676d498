using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;

namespace PeerMatch.Groups;

/// <summary>
/// Meetings as iCalendar files (RFC 5545, <c>text/calendar</c>), for a mail client to add to a calendar: a proposed
/// first meeting (one event, in UTC: every calendar shows it in its reader's own time zone), and a group's standing
/// meeting (a recurring event kept in the convener's zone, so its local time holds across daylight-saving changes).
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

    /// <summary>What a standing meeting's file says of it; <see cref="Sequence"/> rises with each change, so a calendar updates its one event.</summary>
    public sealed record Recurrence(string Uid, int Sequence, string Summary, string Description, DateTime LocalStart, string TimeZone, int EveryWeeks, TimeSpan Length, Uri Url);

    /// <summary>
    /// The standing meeting as an invitation (<c>METHOD:REQUEST</c>) to <paramref name="attendee"/>, with its time zone
    /// (VTIMEZONE) and a weekly rule at the group's interval; or, <paramref name="cancel"/>, its cancellation
    /// (<c>METHOD:CANCEL</c>, <c>STATUS:CANCELLED</c>) under the same UID.
    /// </summary>
    public static string Recurring(Recurrence meeting, (string Email, string Name) organizer, (string Email, string Name) attendee, DateTimeOffset stamp, bool cancel = false)
    {
        var calendar = new Calendar { ProductId = "-//PeerMatch//Peer groups//EN", Method = cancel ? "CANCEL" : "REQUEST" };
        calendar.AddTimeZone(meeting.TimeZone, meeting.LocalStart.AddYears(-1), false);
        var meetingEvent = new CalendarEvent
        {
            Uid = meeting.Uid,
            Sequence = meeting.Sequence,
            Summary = meeting.Summary,
            Description = meeting.Description,
            Start = new CalDateTime(DateTime.SpecifyKind(meeting.LocalStart, DateTimeKind.Unspecified), meeting.TimeZone, true),
            Duration = Duration.FromMinutes((int)meeting.Length.TotalMinutes),
            DtStamp = new CalDateTime(stamp.UtcDateTime, true),
            Organizer = new Organizer($"mailto:{organizer.Email}") { CommonName = organizer.Name },
            Url = meeting.Url,
            RecurrenceRule = new RecurrencePattern(FrequencyType.Weekly, meeting.EveryWeeks),
            Status = cancel ? "CANCELLED" : "CONFIRMED",
        };
        meetingEvent.Attendees.Add(new Attendee($"mailto:{attendee.Email}") { CommonName = attendee.Name, Rsvp = false });
        calendar.Events.Add(meetingEvent);
        return new CalendarSerializer().SerializeToString(calendar) ?? "";
    }

    /// <summary>The media type of an invitation or a cancellation (iTIP): mail clients offer to update the calendar.</summary>
    public static string MediaTypeFor(bool cancel) => $"{MediaType}; method={(cancel ? "CANCEL" : "REQUEST")}";
}
