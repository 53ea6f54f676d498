using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ical.Net;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using PeerMatch.Matching.Groups;
using PeerMatch.Tests.Infrastructure;
using static PeerMatch.Tests.Matching.People;

namespace PeerMatch.Tests.Groups;

/// <summary>A formed group over the months, on Azurite with a moving clock: open seats, winding down, check-ins and lapses.</summary>
public sealed class GroupLifeFlowTests : OrganizerFlowTest
{
    [Fact]
    public async Task An_erase_in_a_group_of_four_opens_a_seat_the_convener_approves_a_proposed_newcomer_and_they_join()
    {
        var groupId = await FormedGroupAsync("cv", "a1", "a2", "a3");
        await App.SeedAsync(Person("new1", years: 9));
        using (var erased = await Client.DeleteAsync(await ManageLinkAsync("a3")))
        {
            Assert.Equal(HttpStatusCode.NoContent, erased.StatusCode);
        }
        await Client.RunMatchAsync(force: true);
        await App.DrainAsync();

        Assert.Equal(GroupHealth.LookingForMembers, (await GroupAsync(groupId))["health"]!.GetValue<string>());
        var seats = (await PageAsync("cv"))["seats"]!;
        Assert.True(seats["looking"]!.GetValue<bool>());
        Assert.Equal("new1", seats["proposed"]!.GetValue<string>());
        Assert.DoesNotContain(App.Outbox.To("new1@example.org"), m => m.Headers["X-PeerMatch-Kind"] == "group-invitation"); // not before the convener's yes

        // Only the convener decides; their yes (sent twice at once) invites the newcomer once.
        using (var notTheirs = await PostAsync("a1", "seats", "yes"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, notTheirs.StatusCode);
        }
        var yes = await Task.WhenAll(PostAsync("cv", "seats", "yes"), PostAsync("cv", "seats", "yes"));
        Assert.All(yes, y => Assert.Equal(HttpStatusCode.OK, y.StatusCode));
        var invitation = await App.Outbox.WaitForAsync("new1@example.org", "group-invitation");
        await App.DrainAsync();
        Assert.Single(App.Outbox.To("new1@example.org"), m => m.Headers["X-PeerMatch-Kind"] == "group-invitation");
        using (var joined = await Client.PostAsync(Relative(invitation).Replace("?token", "/answer?token", StringComparison.Ordinal),
            new FormUrlEncodedContent([new("answer", "yes")])))
        {
            Assert.Equal("formed", (await joined.Content.ReadFromJsonAsync<JsonObject>())!["state"]!.GetValue<string>());
        }
        await App.DrainAsync();
        Assert.Equal(GroupHealth.Active, (await GroupAsync(groupId))["health"]!.GetValue<string>());
        Assert.Contains(App.Outbox.To("a1@example.org"), m => m.Subject == "PeerMatch: new1 joined your peer group");
    }

    [Fact]
    public async Task A_group_below_three_for_four_weeks_winds_down_its_members_are_told_and_its_calendar_event_is_cancelled()
    {
        var groupId = await FormedGroupAsync("cv", "a1", "a2", "a3");
        foreach (var id in new[] { "cv", "a1", "a2", "a3" })
        {
            (await PostAsync(id, "times", "t0", "yes")).Dispose();
        }
        await App.DrainAsync();
        var standing = Assert.Single(App.Outbox.To("cv@example.org"), m => m.Subject == "PeerMatch: your peer group's standing meeting");
        foreach (var id in new[] { "a2", "a3" })
        {
            (await PostAsync(id, "leave", "confirm", "yes")).Dispose();
        }

        App.Clock.Advance(GroupLife.WindDownAfter - TimeSpan.FromHours(2));
        await Client.RunMatchAsync(force: true);
        Assert.Equal(GroupHealth.LookingForMembers, (await GroupAsync(groupId))["health"]!.GetValue<string>());
        App.Clock.Advance(TimeSpan.FromHours(3));
        await Client.RunMatchAsync(force: true);
        await Client.RunMatchAsync(force: true);
        await App.DrainAsync();

        var listed = await Client.GetFromJsonAsync<JsonObject>("/api/organizer/groups");
        Assert.Equal(GroupStates.WoundDown, listed!["groups"]![0]!["health"]!.GetValue<string>());
        Assert.Equal(1, listed["counts"]![GroupStates.WoundDown]!.GetValue<int>());
        var before = (await CalendarOfAsync(standing)).Events.Single();
        foreach (var id in new[] { "cv", "a1" })
        {
            var told = Assert.Single(App.Outbox.To($"{id}@example.org"), m => m.Subject == "PeerMatch: your peer group has wound down");
            var cancel = await CalendarOfAsync(told);
            Assert.Equal("CANCEL", cancel.Method);
            var cancelled = cancel.Events.Single();
            Assert.Equal(before.Uid, cancelled.Uid);
            Assert.Equal("CANCELLED", cancelled.Status);
            Assert.Contains("back among those we form groups for", told.TextBody!, StringComparison.Ordinal);
        }
        Assert.All(new[] { "a2", "a3" }, id => Assert.DoesNotContain(App.Outbox.To($"{id}@example.org"), m => m.Subject == "PeerMatch: your peer group has wound down"));
        Assert.Equal("wound-down", (await PageAsync("cv"))["yourStatus"]!.GetValue<string>());
    }

    [Fact]
    public async Task Check_ins_come_every_six_weeks_a_group_with_no_sign_of_meeting_for_eight_weeks_lapses_and_its_convener_is_nudged_once()
    {
        var groupId = await FormedGroupAsync("cv", "a1", "a2", "a3");
        var formedAt = App.Clock.GetUtcNow();

        App.Clock.SetUtcNow(formedAt + GroupLife.CheckInEvery + TimeSpan.FromHours(1));
        await Client.RunMatchAsync(force: true);
        await App.DrainAsync();
        Assert.All(new[] { "cv", "a1", "a2", "a3" }, id => Assert.Single(App.Outbox.To($"{id}@example.org"), m => m.Headers["X-PeerMatch-Kind"] == "group-check-in"));
        Assert.Equal("no", (await CheckInAsync("cv", "no"))["met"]!.GetValue<string>());
        Assert.Equal(GroupHealth.Active, (await GroupAsync(groupId))["health"]!.GetValue<string>());

        // Eight weeks without a meeting marked held or a check-in saying it met: lapsed, and the convener hears once.
        App.Clock.SetUtcNow(formedAt + GroupHealth.LapsedAfter + TimeSpan.FromHours(1));
        await Client.RunMatchAsync(force: true);
        await Client.RunMatchAsync(force: true);
        await App.DrainAsync();
        Assert.Equal(GroupHealth.Lapsed, (await GroupAsync(groupId))["health"]!.GetValue<string>());
        Assert.Single(App.Outbox.To("cv@example.org"), m => m.Subject == "PeerMatch: has your peer group stalled?");
        Assert.DoesNotContain(App.Outbox.To("a1@example.org"), m => m.Subject == "PeerMatch: has your peer group stalled?");

        // A meeting marked held makes it active again; the next round asks anew ("since …"), and a yes counts.
        var last = (await PageAsync("a1"))["meetings"]!["next"]![0]!["meeting"]!.GetValue<int>();
        (await PostAsync("a1", "held", "meeting", last.ToString(System.Globalization.CultureInfo.InvariantCulture))).Dispose();
        Assert.Equal(GroupHealth.Active, (await GroupAsync(groupId))["health"]!.GetValue<string>());
        App.Clock.SetUtcNow(formedAt + 2 * GroupLife.CheckInEvery + TimeSpan.FromHours(1));
        await Client.RunMatchAsync(force: true);
        await App.DrainAsync();
        var second = App.Outbox.To("cv@example.org").Where(m => m.Headers["X-PeerMatch-Kind"] == "group-check-in" && m.Subject!.Contains("met?", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, second.Count);
        Assert.Contains("Has your peer group met since ", second[1].TextBody!, StringComparison.Ordinal);
        Assert.Equal("yes", (await CheckInAsync("cv", "yes", second[1]))["met"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_group_owns_its_ground_rules_the_conveners_edit_is_shown_to_everyone_and_the_page_says_who_agreed()
    {
        await FormedGroupAsync("cv", "a1", "a2", "a3");
        var draft = (await PageAsync("a1"))["rules"]!;
        Assert.Equal(0, draft["version"]!.GetValue<int>());
        Assert.Contains("Confidentiality", draft["rules"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()));
        Assert.Equal(4, draft["notYet"]!.AsArray().Count);
        await Task.WhenAll(PostAsync("a1", "rules", "agree"), PostAsync("a1", "rules", "agree"));
        Assert.Equal(["a1"], (await PageAsync("a1"))["rules"]!["agreed"]!.AsArray().Select(n => n!.GetValue<string>()));

        using (var notTheConvener = await PostAsync("a1", "rules", "rules", "Punctuality: we start on time"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, notTheConvener.StatusCode);
        }
        using (var empty = await PostAsync("cv", "rules", "rules", "  \n "))
        {
            Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        }
        using (var edited = await PostAsync("cv", "rules", "rules", "Confidentiality: what is said here stays here\nPunctuality: we start on time"))
        {
            var rules = (await edited.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.Equal(1, rules["version"]!.GetValue<int>());
            Assert.Equal(["Confidentiality", "Punctuality"], rules["rules"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()));
            Assert.Equal(["cv"], rules["agreed"]!.AsArray().Select(n => n!.GetValue<string>()));
        }
        await App.DrainAsync();
        foreach (var id in new[] { "a1", "a2", "a3" })
        {
            var shown = Assert.Single(App.Outbox.To($"{id}@example.org"), m => m.Subject == "PeerMatch: your peer group's ground rules have changed");
            Assert.Contains("Punctuality: we start on time", shown.TextBody!, StringComparison.Ordinal);
        }
        Assert.DoesNotContain(App.Outbox.To("cv@example.org"), m => m.Subject == "PeerMatch: your peer group's ground rules have changed");

        (await PostAsync("a2", "rules", "object")).Dispose();
        (await PostAsync("a3", "rules", "agree")).Dispose();
        var now = (await PageAsync("cv"))["rules"]!;
        Assert.Equal(["a3", "cv"], now["agreed"]!.AsArray().Select(n => n!.GetValue<string>()).Order());
        Assert.Equal(["a2"], now["objected"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(["a1"], now["notYet"]!.AsArray().Select(n => n!.GetValue<string>())); // a1 agreed to the draft, not to this
    }

    private async Task<string> FormedGroupAsync(params string[] ids)
    {
        await App.SeedAsync([Person(ids[0], convenes: true, years: 15), .. ids.Skip(1).Select(id => Person(id))]);
        using var formed = await Client.PostAsJsonAsync("/api/organizer/groups", new { });
        var groupId = (await formed.Content.ReadFromJsonAsync<JsonObject>())!["groups"]![0]!["groupId"]!.GetValue<string>();
        foreach (var id in ids)
        {
            (await PostAsync(id, "answer", "answer", "yes")).Dispose();
        }
        await App.DrainAsync();
        return groupId;
    }

    private async Task<string> GroupLinkAsync(string id)
    {
        await App.Outbox.WaitForAsync($"{id}@example.org", "group-invitation");
        var latest = App.Outbox.To($"{id}@example.org").Last(m => m.Headers["X-PeerMatch-Kind"] is "group-invitation" or "group-meeting-reminder");
        return Relative(latest);
    }

    private async Task<HttpResponseMessage> PostAsync(string id, string action, string field, string value) =>
        await Client.PostAsync((await GroupLinkAsync(id)).Replace("?token", $"/{action}?token", StringComparison.Ordinal), new FormUrlEncodedContent([new(field, value)]));

    private Task<HttpResponseMessage> PostAsync(string id, string action, string answer) => PostAsync(id, action, "answer", answer);

    private async Task<JsonObject> PageAsync(string id) => (await Client.GetFromJsonAsync<JsonObject>(await GroupLinkAsync(id)))!;

    private async Task<JsonObject> GroupAsync(string groupId) =>
        (await Client.GetFromJsonAsync<JsonObject>("/api/organizer/groups"))!["groups"]!.AsArray().Single(g => g!["groupId"]!.GetValue<string>() == groupId)!.AsObject();

    private async Task<JsonObject> CheckInAsync(string id, string answer, MimeMessage? checkIn = null)
    {
        checkIn ??= await App.Outbox.WaitForAsync($"{id}@example.org", "group-check-in");
        using var response = await Client.PostAsync(Relative(checkIn), new FormUrlEncodedContent([new("answer", answer)]));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private async Task<string> ManageLinkAsync(string id) =>
        (await App.Services.GetRequiredService<PeerMatch.Functions.Intake.IntakeLinks>().ManageUrlAsync(id, default)).PathAndQuery;

    private static string Relative(MimeMessage message) => Outbox.Link(message, PeerMatchApp.PublicBaseUrl + "/api/groups/").PathAndQuery;

    private static async Task<Calendar> CalendarOfAsync(MimeMessage message)
    {
        var part = Assert.Single(message.Attachments.OfType<MimePart>(), a => a.ContentType.MimeType == "text/calendar");
        using var content = new MemoryStream();
        await part.Content!.DecodeToAsync(content);
        return Calendar.Load(System.Text.Encoding.UTF8.GetString(content.ToArray()))!;
    }
}
