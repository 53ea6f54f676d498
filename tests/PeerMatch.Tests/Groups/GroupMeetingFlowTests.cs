using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ical.Net;
using MimeKit;
using PeerMatch.Matching.Groups;
using PeerMatch.Tests.Infrastructure;
using static PeerMatch.Tests.Matching.People;

namespace PeerMatch.Tests.Groups;

/// <summary>A formed group's meetings on Azurite with a moving clock: the time poll, the standing meeting and its calendar, reminders, turns.</summary>
public sealed class GroupMeetingFlowTests : OrganizerFlowTest
{
    // An online group across three zones: the convener in Los Angeles, a member in Chicago, one in São Paulo (no daylight saving).
    private static readonly string[] Everyone = ["cv", "a1", "a2", "a3"];

    [Fact]
    public async Task The_poll_picks_the_time_that_suits_most_everyone_gets_one_recurring_event_and_reminders_name_who_facilitates_in_each_zone()
    {
        var groupId = await FormedGroupAsync();
        var times = (await PageAsync("cv"))["meetingTimes"]!.AsArray().Select(t => t!.GetValue<DateTimeOffset>()).ToList();
        Assert.Equal(3, times.Count);

        // Everyone answers at once: the second time suits three, two weeks suits two; a2 takes no turns.
        var answers = await Task.WhenAll(
            TimesAsync("cv", [new("t1", "yes"), new("every", "2"), new("turns", "yes")]),
            TimesAsync("a1", [new("t1", "yes"), new("t2", "yes"), new("every", "2"), new("turns", "yes")]),
            TimesAsync("a2", [new("t0", "yes"), new("every", "4")]),
            TimesAsync("a3", [new("t1", "yes"), new("turns", "yes")]));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        await App.DrainAsync();

        var meetings = (await PageAsync("a2"))["meetings"]!;
        Assert.StartsWith("every 2 weeks on ", meetings["rhythm"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.EndsWith("(America/Los_Angeles)", meetings["rhythm"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(times[1], meetings["next"]![0]!["start"]!.GetValue<DateTimeOffset>());
        var uids = new HashSet<string>();
        foreach (var id in Everyone)
        {
            var notice = Assert.Single(App.Outbox.To($"{id}@example.org"), m => m.Subject == "PeerMatch: your peer group's standing meeting");
            var (calendar, part) = await CalendarOfAsync(notice);
            Assert.Equal("REQUEST", calendar.Method);
            Assert.Equal("REQUEST", part.ContentType.Parameters["method"]);
            Assert.Equal("utf-8", part.ContentType.Charset);
            var meeting = Assert.Single(calendar.Events);
            Assert.Equal("America/Los_Angeles", meeting.Start!.TzId);
            Assert.Equal("America/Los_Angeles", Assert.Single(calendar.TimeZones).TzId);
            Assert.Equal("FREQ=WEEKLY;INTERVAL=2", meeting.RecurrenceRule!.ToString());
            Assert.Equal(0, meeting.Sequence);
            Assert.Equal(times[1].UtcDateTime, meeting.Start.AsUtc);
            Assert.Equal($"mailto:{id}@example.org", Assert.Single(meeting.Attendees).Value!.ToString());
            uids.Add(meeting.Uid!);
        }
        Assert.Equal([$"{groupId}-standing@peermatch"], uids);

        // Two days before the first meeting, each member is reminded in their own zone; a1 (first to take turns) facilitates, a3 brings the case.
        App.Clock.SetUtcNow(times[1] - GroupMeetings.RemindBefore + TimeSpan.FromMinutes(30));
        await Client.RunMatchAsync(force: true);
        await Client.RunMatchAsync(force: true);
        await App.DrainAsync();
        var reminders = Everyone.ToDictionary(id => id, id => Assert.Single(App.Outbox.To($"{id}@example.org"), m => m.Headers["X-PeerMatch-Kind"] == "group-meeting-reminder"));
        Assert.Contains("Facilitating: a1", reminders["cv"].TextBody!, StringComparison.Ordinal);
        Assert.Contains("Bringing a case: a3", reminders["cv"].TextBody!, StringComparison.Ordinal);
        Assert.Contains("Facilitating: you", reminders["a1"].TextBody!, StringComparison.Ordinal);
        Assert.Contains("Bringing a case: you", reminders["a3"].TextBody!, StringComparison.Ordinal);
        Assert.Contains(StandingMeeting.DescribeTime(times[1], "America/Chicago"), reminders["a1"].TextBody!, StringComparison.Ordinal);
        Assert.Contains(StandingMeeting.DescribeTime(times[1], "America/Sao_Paulo"), reminders["a3"].TextBody!, StringComparison.Ordinal);
        Assert.Contains("Check-in", reminders["a2"].TextBody!, StringComparison.Ordinal); // the outline
    }

    [Fact]
    public async Task Reminders_keep_the_conveners_local_time_across_daylight_saving_and_a_change_updates_the_one_event()
    {
        var groupId = await FormedGroupAsync();
        foreach (var id in Everyone)
        {
            (await TimesAsync(id, [new("t0", "yes"), new("every", "4"), new("turns", "yes")])).Dispose();
        }
        var standing = (await PageAsync("cv"))["meetings"]!;
        var first = standing["next"]![0]!["start"]!.GetValue<DateTimeOffset>();
        var losAngeles = TimeZoneInfo.FindSystemTimeZoneById("America/Los_Angeles");
        var localTime = TimeZoneInfo.ConvertTime(first, losAngeles).TimeOfDay;

        // The first meeting after US daylight saving starts (14 March 2027): the same 17:30 (or whatever) in Los Angeles.
        var meeting = StandingMeeting.At(first, "America/Los_Angeles", 4);
        var n = Enumerable.Range(0, 20).First(i => meeting.Start(i) > new DateTimeOffset(2027, 3, 15, 0, 0, 0, TimeSpan.Zero));
        App.Clock.SetUtcNow(meeting.Start(n) - GroupMeetings.RemindBefore + TimeSpan.FromMinutes(30));
        await Client.RunMatchAsync(force: true);
        await App.DrainAsync();
        var reminder = Assert.Single(App.Outbox.To("cv@example.org"), m => m.Headers["X-PeerMatch-Kind"] == "group-meeting-reminder");
        Assert.Equal(localTime, TimeZoneInfo.ConvertTime(meeting.Start(n), losAngeles).TimeOfDay);
        Assert.NotEqual(TimeZoneInfo.ConvertTime(first, losAngeles).Offset, TimeZoneInfo.ConvertTime(meeting.Start(n), losAngeles).Offset);
        Assert.Contains(meeting.Describe(n, "America/Los_Angeles"), reminder.TextBody!, StringComparison.Ordinal);
        // In São Paulo, without daylight saving, the meeting has moved by the hour.
        var saoPaulo = Assert.Single(App.Outbox.To("a3@example.org"), m => m.Headers["X-PeerMatch-Kind"] == "group-meeting-reminder");
        Assert.Contains(meeting.Describe(n, "America/Sao_Paulo"), saoPaulo.TextBody!, StringComparison.Ordinal);

        // Only the convener changes the meeting; their change to every 2 weeks updates everyone's one event (SEQUENCE 1).
        using (var refused = await TimesAsync("a1", [new("every", "2")]))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }
        using (var changed = await TimesAsync("cv", [new("every", "2")]))
        {
            Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        }
        await App.DrainAsync();
        foreach (var id in Everyone)
        {
            var update = Assert.Single(App.Outbox.To($"{id}@example.org"), m => m.Subject == "PeerMatch: your peer group's meeting has changed");
            var updated = Assert.Single((await CalendarOfAsync(update)).Calendar.Events);
            Assert.Equal($"{groupId}-standing@peermatch", updated.Uid);
            Assert.Equal(1, updated.Sequence);
            Assert.Equal("FREQ=WEEKLY;INTERVAL=2", updated.RecurrenceRule!.ToString());
            Assert.Equal(localTime, TimeZoneInfo.ConvertTime(updated.Start!.AsUtc, losAngeles).TimeOfDay);
        }
    }

    [Fact]
    public async Task Members_swap_turns_and_mark_a_meeting_held_once_however_often_they_say_so()
    {
        await FormedGroupAsync();
        foreach (var id in Everyone)
        {
            (await TimesAsync(id, [new("t0", "yes"), new("turns", "yes")])).Dispose();
        }
        var next = (await PageAsync("a1"))["meetings"]!["next"]!.AsArray();
        Assert.Equal("a1", next[0]!["facilitator"]!.GetValue<string>());
        var third = next[2]!["facilitator"]!.GetValue<string>();

        using (var swapped = await PostAsync("a1", "turns", [new("meeting", "0"), new("role", "facilitator"), new("with", "2")]))
        {
            Assert.Equal(HttpStatusCode.OK, swapped.StatusCode);
            var after = (await swapped.Content.ReadFromJsonAsync<JsonObject>())!["next"]!.AsArray();
            Assert.Equal(third, after[0]!["facilitator"]!.GetValue<string>());
            Assert.Equal("a1", after[2]!["facilitator"]!.GetValue<string>());
        }
        using (var notTheirs = await PostAsync("a2", "turns", [new("meeting", "1"), new("role", "banana"), new("with", "2")]))
        {
            Assert.Equal(HttpStatusCode.BadRequest, notTheirs.StatusCode);
        }

        // After the first meeting began, three members say it took place, two at once: it is held, once.
        var start = next[0]!["start"]!.GetValue<DateTimeOffset>();
        using (var early = await PostAsync("a2", "held", [new("meeting", "0")]))
        {
            Assert.False((await early.Content.ReadFromJsonAsync<JsonObject>())!["next"]![0]!["held"]!.GetValue<bool>());
        }
        App.Clock.SetUtcNow(start + TimeSpan.FromHours(2));
        var held = await Task.WhenAll(PostAsync("a2", "held", [new("meeting", "0")]), PostAsync("a3", "held", [new("meeting", "0")]), PostAsync("cv", "held", [new("meeting", "0")]));
        Assert.All(held, h => Assert.Equal(HttpStatusCode.OK, h.StatusCode));
        var listed = (await PageAsync("cv"))["meetings"]!["next"]!.AsArray();
        Assert.True(listed[0]!["held"]!.GetValue<bool>());
        Assert.Equal(0, listed[0]!["meeting"]!.GetValue<int>());
    }

    /// <summary>Four online practitioners in three zones form a group around cv, and all say yes.</summary>
    private async Task<string> FormedGroupAsync()
    {
        await App.SeedAsync(
            Person("cv", convenes: true, years: 15, meeting: "online"),
            Person("a1", meeting: "online", subdivision: "US-IL", city: "Chicago", timeZone: "America/Chicago"),
            Person("a2", meeting: "online", subdivision: "US-IL", city: "Chicago", timeZone: "America/Chicago"),
            Person("a3", meeting: "online", country: "BR", subdivision: "BR-SP", city: "São Paulo", timeZone: "America/Sao_Paulo"));
        using var formed = await Client.PostAsJsonAsync("/api/organizer/groups", new { });
        var groupId = (await formed.Content.ReadFromJsonAsync<JsonObject>())!["groups"]![0]!["groupId"]!.GetValue<string>();
        foreach (var id in Everyone)
        {
            using var answered = await Client.PostAsync(await LinkAsync(id, "answer"), new FormUrlEncodedContent([new("answer", "yes")]));
            Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        }
        await App.DrainAsync();
        return groupId;
    }

    /// <summary>The member's group link from the latest group e-mail that carries one (links expire: months later, a reminder's is fresh).</summary>
    private async Task<string> LinkAsync(string id, string action)
    {
        await App.Outbox.WaitForAsync($"{id}@example.org", "group-invitation");
        var latest = App.Outbox.To($"{id}@example.org").Last(m => m.Headers["X-PeerMatch-Kind"] is "group-invitation" or "group-meeting-reminder");
        return Outbox.Link(latest, PeerMatchApp.PublicBaseUrl + "/api/groups/").PathAndQuery.Replace("?token", $"/{action}?token", StringComparison.Ordinal);
    }

    private async Task<JsonObject> PageAsync(string id) =>
        (await Client.GetFromJsonAsync<JsonObject>((await LinkAsync(id, "answer")).Replace("/answer?", "?", StringComparison.Ordinal)))!;

    private Task<HttpResponseMessage> TimesAsync(string id, KeyValuePair<string, string>[] fields) => PostAsync(id, "times", fields);

    private async Task<HttpResponseMessage> PostAsync(string id, string action, KeyValuePair<string, string>[] fields) =>
        await Client.PostAsync(await LinkAsync(id, action), new FormUrlEncodedContent(fields));

    private static async Task<(Calendar Calendar, MimePart Part)> CalendarOfAsync(MimeMessage message)
    {
        var part = Assert.Single(message.Attachments.OfType<MimePart>(), a => a.ContentType.MimeType == "text/calendar");
        using var content = new MemoryStream();
        await part.Content!.DecodeToAsync(content);
        return (Calendar.Load(System.Text.Encoding.UTF8.GetString(content.ToArray()))!, part);
    }
}
