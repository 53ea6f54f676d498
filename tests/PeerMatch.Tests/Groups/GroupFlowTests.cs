using System.Text.RegularExpressions;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ical.Net;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using PeerMatch.Functions.Groups;
using PeerMatch.Functions.Intake;
using PeerMatch.Matching;
using PeerMatch.Matching.Groups;
using PeerMatch.Practitioners;
using PeerMatch.Functions.Matching;
using PeerMatch.Tests.Infrastructure;
using static PeerMatch.Tests.Matching.People;

namespace PeerMatch.Tests.Groups;

/// <summary>Peer groups end to end on Azurite, with the app's clock moved by the test: invitations, answers, forming, gaps, the clock's steps.</summary>
public sealed class GroupFlowTests : OrganizerFlowTest
{
    [Fact]
    public async Task Invited_members_answer_the_group_forms_at_four_and_the_introduction_lists_exactly_those_who_said_yes()
    {
        // Six seekers around a willing convener, and a seventh to fill a gap.
        await App.SeedAsync([Person("cv", convenes: true, years: 15), .. Enumerable.Range(1, 6).Select(i => Person($"m{i}", years: i))]);

        var formed = await FormAsync();

        var group = Assert.Single(formed["groups"]!.AsArray())!;
        var groupId = group["groupId"]!.GetValue<string>();
        Assert.Equal("inviting", group["state"]!.GetValue<string>());
        Assert.Equal("cv", group["convener"]!["id"]!.GetValue<string>());
        var invited = group["members"]!.AsArray().Select(m => m!["id"]!.GetValue<string>()).ToList();
        Assert.Equal(6, invited.Count);
        var waiting = Assert.Single(formed["unplaced"]!.AsArray())!["id"]!.GetValue<string>();
        foreach (var id in invited)
        {
            var invitation = await App.Outbox.WaitForAsync($"{id}@example.org", "group-invitation");
            // No addresses before a yes: the invitation names the others by first name only.
            Assert.DoesNotContain("@example.org", invitation.TextBody!.Replace($"{id}@example.org", "", StringComparison.Ordinal), StringComparison.Ordinal);
            Assert.Contains("Confidentiality", invitation.TextBody, StringComparison.Ordinal);
            Assert.Contains("Inner V reflection", invitation.TextBody, StringComparison.Ordinal);
            Assert.StartsWith("<" + PeerMatchApp.PublicBaseUrl + "/api/unsubscribe?token=", invitation.Headers["List-Unsubscribe"], StringComparison.Ordinal);
        }
        var members = invited.Where(i => i != "cv").ToList();

        await AnswerAsync("cv", "yes");
        await AnswerAsync(members[0], "yes");
        await AnswerAsync(members[1], "yes");
        var no = await AnswerAsync(members[2], "no");
        Assert.Equal("inviting", no["state"]!.GetValue<string>());

        // A "no" while forming is replaced by the seeker left out, who is invited in turn.
        var replacement = await App.Outbox.WaitForAsync($"{waiting}@example.org", "group-invitation");
        Assert.Contains(groupId, Outbox.Link(replacement, PeerMatchApp.PublicBaseUrl + "/api/groups/").AbsolutePath, StringComparison.Ordinal);
        Assert.DoesNotContain(App.Outbox.To("cv@example.org"), m => m.Headers["X-PeerMatch-Kind"] == "group-introduction");

        var fourth = await AnswerAsync(members[3], "yes");

        Assert.Equal("formed", fourth["state"]!.GetValue<string>());
        string[] yes = ["cv", members[0], members[1], members[3]];
        foreach (var id in yes)
        {
            var introduction = await App.Outbox.WaitForAsync($"{id}@example.org", "group-introduction");
            var text = introduction.TextBody!;
            Assert.All(yes, other => Assert.Contains($"{other}@example.org", text, StringComparison.Ordinal));
            Assert.DoesNotContain($"{members[2]}@example.org", text, StringComparison.Ordinal);
            Assert.DoesNotContain($"{members[4]}@example.org", text, StringComparison.Ordinal);
            Assert.DoesNotContain($"{waiting}@example.org", text, StringComparison.Ordinal);
            Assert.Contains("(America/Los_Angeles)", text, StringComparison.Ordinal);
            var calendars = introduction.Attachments.OfType<MimePart>().Where(a => a.ContentType.MimeType == "text/calendar").ToList();
            Assert.Equal(3, calendars.Count);
            foreach (var part in calendars)
            {
                Assert.Equal("utf-8", part.ContentType.Charset);
                using var content = new MemoryStream();
                await part.Content!.DecodeToAsync(content);
                var meeting = Assert.Single(Calendar.Load(System.Text.Encoding.UTF8.GetString(content.ToArray()))!.Events);
                Assert.StartsWith($"{PeerMatchApp.PublicBaseUrl}/api/groups/{groupId}?token=", meeting.Url!.AbsoluteUri, StringComparison.Ordinal);
                var start = meeting.Start!.AsUtc;
                var local = TimeZoneInfo.ConvertTimeFromUtc(start, TimeZoneInfo.FindSystemTimeZoneById("America/Los_Angeles"));
                Assert.InRange(local.TimeOfDay, TimeSpan.FromHours(9), TimeSpan.FromHours(16.5));
                Assert.True(start > MondayUtc.UtcDateTime);
            }
        }
        Assert.DoesNotContain(App.Outbox.To($"{members[4]}@example.org"), m => m.Headers["X-PeerMatch-Kind"] == "group-introduction");

        // A yes after forming joins: the newcomer gets the introduction, those already in it news of the newcomer.
        await AnswerAsync(waiting, "yes");
        var joined = await App.Outbox.WaitForAsync($"{waiting}@example.org", "group-introduction");
        Assert.Contains("cv@example.org", joined.TextBody!, StringComparison.Ordinal);
        foreach (var id in yes)
        {
            var news = await App.Outbox.WaitForAsync($"{id}@example.org", "group-introduction", count: 2);
            Assert.Contains($"{waiting}@example.org", news.TextBody!, StringComparison.Ordinal);
            Assert.Contains("joined", news.Subject, StringComparison.Ordinal);
        }

        // The page, once formed, shows a member everyone's address; the organizer sees every answer.
        var page = await Client.GetFromJsonAsync<JsonObject>(Relative(await App.Outbox.WaitForAsync("cv@example.org", "group-invitation")));
        Assert.Equal(5, page!["members"]!.AsArray().Count);
        // Its reasons speak of who is in it now (m_i has i years), not of those first invited.
        var youngest = yes.Append(waiting).Where(id => id != "cv").Min(id => int.Parse(id[1..], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains($"experience from {youngest} to 15 years", page["reasons"]!.AsArray().Select(r => r!.GetValue<string>()));
        var listed = Assert.Single((await Client.GetFromJsonAsync<JsonObject>("/api/organizer/groups"))!["groups"]!.AsArray())!;
        Assert.Equal("formed", listed["state"]!.GetValue<string>());
        Assert.Equal("no", listed["members"]!.AsArray().Single(m => m!["id"]!.GetValue<string>() == members[2])!["answer"]!.GetValue<string>());

        // A second formation invites nobody twice: everyone is in the group, answered no, or waits for their answer.
        var again = await FormAsync();
        await App.DrainAsync();
        Assert.Empty(again["groups"]!.AsArray());
        Assert.All(invited.Append(waiting), id => Assert.Single(App.Outbox.To($"{id}@example.org"), m => m.Headers["X-PeerMatch-Kind"] == "group-invitation"));
    }

    [Fact]
    public async Task A_convener_who_declines_the_role_hands_over_to_the_next_willing_member_who_said_yes()
    {
        await App.SeedAsync(Person("cv", convenes: true, years: 20), Person("wil", convenes: true, years: 9), Person("a1", years: 12), Person("a2", years: 3), Person("a3", years: 2));
        var groupId = (await FormAsync())["groups"]![0]!["groupId"]!.GetValue<string>();
        Assert.Equal("cv", await ConvenerAsync(groupId));

        var memberOnly = await AnswerAsync("cv", null, convene: "no");
        Assert.Equal("yes", memberOnly["answer"]!.GetValue<string>());
        await AnswerAsync("a1", "yes");
        await AnswerAsync("a2", "yes");
        // Three yes, but no convener: a1 is more experienced, yet not willing; the group waits for a willing yes.
        Assert.Equal("inviting", (await GroupAsync(groupId))["state"]!.GetValue<string>());

        var willing = await AnswerAsync("wil", "yes");

        Assert.Equal("formed", willing["state"]!.GetValue<string>());
        Assert.True(willing["youConvene"]!.GetValue<bool>());
        Assert.Equal("wil", await ConvenerAsync(groupId));
        var introduction = await App.Outbox.WaitForAsync("cv@example.org", "group-introduction");
        Assert.Contains("wil Example (convener)", introduction.TextBody!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_answer_in_seven_days_counts_as_no_and_fourteen_days_without_enough_yes_call_the_group_off_and_free_its_members()
    {
        await App.SeedAsync(Person("cv", convenes: true, years: 15), Person("a1"), Person("a2"), Person("a3"));
        var groupId = (await FormAsync())["groups"]![0]!["groupId"]!.GetValue<string>();
        await AnswerAsync("cv", "yes");
        await AnswerAsync("a1", "yes");

        App.Clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromHours(1));
        // A yes a week too late is no yes, even before the hourly run has said so.
        var late = await AnswerAsync("a2", "yes");
        Assert.Equal("no", late["answer"]!.GetValue<string>());
        await Client.RunMatchAsync(force: true);
        var week = await GroupAsync(groupId);
        Assert.Equal("inviting", week["state"]!.GetValue<string>());
        Assert.All(week["members"]!.AsArray().Where(m => m!["id"]!.GetValue<string>() is "a2" or "a3"), m =>
        {
            Assert.Equal("no", m!["answer"]!.GetValue<string>());
            Assert.True(m["expired"]!.GetValue<bool>());
        });

        App.Clock.Advance(TimeSpan.FromDays(7));
        await Client.RunMatchAsync(force: true);

        Assert.Equal("called-off", (await GroupAsync(groupId))["state"]!.GetValue<string>());
        foreach (var id in new[] { "cv", "a1" })
        {
            var told = await App.Outbox.WaitForAsync($"{id}@example.org", "group-invitation", count: 2);
            Assert.Contains("did not form", told.Subject, StringComparison.Ordinal);
        }
        await App.DrainAsync();
        Assert.Single(App.Outbox.To("a2@example.org"), m => m.Headers["X-PeerMatch-Kind"] == "group-invitation");
        Assert.DoesNotContain(App.Outbox.All(), m => m.Headers["X-PeerMatch-Kind"] == "group-introduction");

        // Back in the pool: the next formation takes them (and the two who never answered) again.
        var next = await FormAsync();
        var ids = next["groups"]![0]!["members"]!.AsArray().Select(m => m!["id"]!.GetValue<string>()).ToList();
        Assert.Contains("cv", ids);
        Assert.Contains("a1", ids);
    }

    [Fact]
    public async Task Six_weeks_after_forming_members_are_asked_whether_the_group_met_and_a_member_who_leaves_is_announced()
    {
        await App.SeedAsync(Person("cv", convenes: true, years: 15), Person("a1"), Person("a2"), Person("a3"), Person("a4"));
        var groupId = (await FormAsync())["groups"]![0]!["groupId"]!.GetValue<string>();
        foreach (var id in new[] { "cv", "a1", "a2", "a3" })
        {
            await AnswerAsync(id, "yes");
        }
        await App.Outbox.WaitForAsync("a3@example.org", "group-introduction");

        // Leaving cannot be undone: the button leads to a page that says what it means, and only its confirmation leaves.
        var leave = Relative(await InvitationAsync("a3")).Replace("?token", "/leave?token", StringComparison.Ordinal);
        using (var asked = await Intakes.BrowseAsync(Client, leave))
        {
            var page = await asked.Content.ReadAsStringAsync();
            Assert.Contains("This cannot be undone", page, StringComparison.Ordinal);
            Assert.Contains("name=\"confirm\" value=\"yes\"", page, StringComparison.Ordinal);
        }
        using (var unconfirmed = await Client.PostAsync(leave, new FormUrlEncodedContent([])))
        {
            Assert.Equal(HttpStatusCode.BadRequest, unconfirmed.StatusCode);
            Assert.Contains("confirm", await unconfirmed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        Assert.Equal("member", (await Client.GetFromJsonAsync<JsonObject>(Relative(await InvitationAsync("a3"))))!["yourStatus"]!.GetValue<string>());
        using (var left = await Client.PostAsync(leave, new FormUrlEncodedContent([new("confirm", "yes")])))
        {
            Assert.Equal(HttpStatusCode.OK, left.StatusCode);
            Assert.Equal("left", (await left.Content.ReadFromJsonAsync<JsonObject>())!["yourStatus"]!.GetValue<string>());
        }
        var news = await App.Outbox.WaitForAsync("a1@example.org", "group-introduction", count: 2);
        Assert.Contains("left", news.Subject, StringComparison.Ordinal);
        Assert.DoesNotContain("a3@example.org", news.TextBody!, StringComparison.Ordinal);

        App.Clock.Advance(TimeSpan.FromDays(41));
        await Client.RunMatchAsync(force: true);
        await App.DrainAsync();
        Assert.DoesNotContain(App.Outbox.All(), m => m.Headers["X-PeerMatch-Kind"] == "group-check-in");

        App.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromHours(1));
        await Client.RunMatchAsync(force: true);
        await Client.RunMatchAsync(force: true);

        var checkIn = await App.Outbox.WaitForAsync("cv@example.org", "group-check-in");
        var link = Outbox.Link(checkIn, PeerMatchApp.PublicBaseUrl + "/api/groups/");
        using (var scanned = await Client.GetAsync(link.PathAndQuery))
        {
            Assert.Equal(HttpStatusCode.OK, scanned.StatusCode);
        }
        using (var answered = await Client.PostAsync(link.PathAndQuery, new FormUrlEncodedContent([new("answer", "yes")])))
        {
            Assert.Equal("yes", (await answered.Content.ReadFromJsonAsync<JsonObject>())!["met"]!.GetValue<string>());
        }
        await App.DrainAsync();
        Assert.Equal(3, App.Outbox.All().Count(m => m.Headers["X-PeerMatch-Kind"] == "group-check-in"));
        Assert.DoesNotContain(App.Outbox.To("a3@example.org"), m => m.Headers["X-PeerMatch-Kind"] == "group-check-in");
        Assert.DoesNotContain(App.Outbox.To("a4@example.org"), m => m.Headers["X-PeerMatch-Kind"] == "group-check-in");
        var listed = await GroupAsync(groupId);
        Assert.Equal("yes", listed["members"]!.AsArray().Single(m => m!["id"]!.GetValue<string>() == "cv")!["met"]!.GetValue<string>());

        // The answer teaches the ranker that scores every pair in a group: cv's pairs with the two still in it, as positives.
        var examples = await App.Services.GetRequiredService<PeerGroups>().ExamplesAsync(default);
        Assert.Equal(["a1", "a2"], examples.Select(e => e.PeerId).Order());
        Assert.All(examples, e => Assert.True(e.PractitionerId == "cv" && e.Accepted));
        var retrained = await App.Services.GetRequiredService<Retraining>().RetrainAsync(default);
        Assert.Equal(2, retrained.TrainingExamples + retrained.HeldOutExamples);
    }

    [Fact]
    public async Task The_weekly_run_forms_groups_once_and_never_invites_the_paused_the_unsubscribed_or_those_not_seeking_one()
    {
        await App.SeedAsync(Person("cv", convenes: true, years: 15), Person("a1"), Person("a2"), Person("a3"), Person("gone"), Person("other", seeking: ["case-consultation"]));
        await App.SeedAsync(PractitionerStatus.Active, [Person("paused")], pausedUntil: new DateOnly(2027, 3, 1));
        await App.Services.GetRequiredService<SuppressionTable>().SuppressAsync("gone@example.org", default);

        await Client.RunMatchAsync(force: true);
        await Client.RunMatchAsync(force: true);
        await App.DrainAsync();

        var group = Assert.Single((await Client.GetFromJsonAsync<JsonObject>("/api/organizer/groups"))!["groups"]!.AsArray())!;
        Assert.Equal(["a1", "a2", "a3", "cv"], group["members"]!.AsArray().Select(m => m!["id"]!.GetValue<string>()).Order());
        Assert.All(new[] { "cv", "a1", "a2", "a3" }, id => Assert.Single(App.Outbox.To($"{id}@example.org"), m => m.Headers["X-PeerMatch-Kind"] == "group-invitation"));
        Assert.All(new[] { "paused", "gone", "other" }, id => Assert.DoesNotContain(App.Outbox.To($"{id}@example.org"), m => m.Headers["X-PeerMatch-Kind"] == "group-invitation"));
    }

    [Fact]
    public async Task People_in_one_group_are_never_suggested_to_each_other_and_their_digest_says_why()
    {
        await App.SeedAsync(Person("cv", convenes: true, years: 15), Person("a1"), Person("a2"), Person("a3"), Person("zed", seeking: ["case-consultation"]));
        var formed = await FormAsync();
        Assert.Equal(4, Assert.Single(formed["groups"]!.AsArray())!["members"]!.AsArray().Count);

        await Client.RunMatchAsync(force: true);
        await App.DrainAsync();

        string[] group = ["cv", "a1", "a2", "a3"];
        var suggestions = await App.RowsAsync(SuggestionTable.Name);
        Assert.DoesNotContain(suggestions, s => group.Contains(s.PartitionKey) && group.Contains(s.GetString("PeerId")));
        Assert.Contains(suggestions, s => s.PartitionKey == "zed"); // the one outside the group is still suggested
        var dryRun = await Client.RunMatchAsync(dryRun: true);
        Assert.DoesNotContain(dryRun["preview"]!.AsArray(), s => group.Contains(s!["practitionerId"]!.GetValue<string>()) && group.Contains(s["peerId"]!.GetValue<string>()));
        var left = group.Where(id => !suggestions.Any(s => s.PartitionKey == id)).ToList();
        Assert.NotEmpty(left);
        foreach (var id in left)
        {
            var digest = await App.Outbox.WaitForAsync($"{id}@example.org", "digest");
            Assert.Contains("in a peer group with you: you meet them there.", digest.TextBody!, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Erase_takes_a_person_out_of_every_group_tells_nobody_and_the_convener_role_passes_on()
    {
        await App.SeedAsync(Person("cv", convenes: true, years: 15), Person("wil", convenes: true, years: 5), Person("a1"), Person("a2"), Person("a3"));
        var groupId = (await FormAsync())["groups"]![0]!["groupId"]!.GetValue<string>();
        await AnswerAsync("wil", "yes");
        await AnswerAsync("a1", "yes");
        var manage = Outbox.Relative(Outbox.Link(await App.Outbox.WaitForAsync("cv@example.org", "group-invitation"), PeerMatchApp.PublicBaseUrl + "/api/me?token="));

        using (var erased = await Client.DeleteAsync(manage))
        {
            Assert.Equal(HttpStatusCode.NoContent, erased.StatusCode);
        }
        await AnswerAsync("a2", "yes");
        await AnswerAsync("a3", "yes");
        await App.DrainAsync();

        Assert.Empty(await StorageScan.NamingAsync(App, "cv", "cv@example.org", "cv Example"));
        var group = await GroupAsync(groupId);
        Assert.Equal("wil", group["convener"]!["id"]!.GetValue<string>());
        Assert.Equal("formed", group["state"]!.GetValue<string>());
        Assert.All(App.Outbox.All().Where(m => m.Headers["X-PeerMatch-Kind"] == "group-introduction"),
            m => Assert.DoesNotContain("cv@example.org", m.TextBody!, StringComparison.Ordinal));
    }

    [Fact]
    public async Task When_a_convener_leaves_a_formed_group_the_willing_are_asked_in_turn_and_nobody_convenes_without_saying_yes()
    {
        await App.SeedAsync(Person("cv", convenes: true, years: 15), Person("w1", convenes: true, years: 10), Person("w2", convenes: true, years: 5),
            Person("a1", years: 20), Person("a2", years: 3));
        var groupId = (await FormAsync())["groups"]![0]!["groupId"]!.GetValue<string>();
        foreach (var id in new[] { "cv", "w1", "w2", "a1", "a2" })
        {
            await AnswerAsync(id, "yes");
        }
        await LeaveAsync("cv");
        await App.DrainAsync();

        // The most experienced willing member is asked, not the most experienced member; until a yes, nobody convenes.
        var request = await App.Outbox.WaitForAsync("w1@example.org", "group-convener-request");
        Assert.Contains("Nobody becomes convener without saying yes", request.TextBody!, StringComparison.Ordinal);
        Assert.Null(await ConvenerAsync(groupId));
        Assert.Equal("w1", (await GroupAsync(groupId))["convenerAsked"]!["id"]!.GetValue<string>());
        var news = await NewsAsync("a1", "PeerMatch: cv left your peer group");
        Assert.Contains("it has no convener at the moment", news.TextBody!, StringComparison.Ordinal);
        using (var page = await Intakes.BrowseAsync(Client, ConveneLink(request)))
        {
            Assert.Contains("you are the one we are asking", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // w1 says no: w2 is asked. w2 lets five days pass: nobody is left who is willing, and the group goes on without one.
        Assert.False((await ConveneAsync(ConveneLink(request), "no"))["youConvene"]!.GetValue<bool>());
        await App.Outbox.WaitForAsync("w2@example.org", "group-convener-request");
        App.Clock.Advance(GroupSettling.ConvenerAnswerWithin + TimeSpan.FromHours(1));
        await Client.RunMatchAsync(force: true);
        await App.DrainAsync();
        var group = await GroupAsync(groupId);
        Assert.Null(group["convener"]);
        Assert.Null(group["convenerAsked"]);
        Assert.All(new[] { "a1", "a2" }, id => Assert.DoesNotContain(App.Outbox.To($"{id}@example.org"), m => m.Headers["X-PeerMatch-Kind"] == "group-convener-request"));
        Assert.Equal(2, App.Outbox.All().Count(m => m.Headers["X-PeerMatch-Kind"] == "group-convener-request"));

        // Any member may then step up; two at once make one convener, and the others are told once.
        var a1 = ConveneLink(await InvitationAsync("a1"));
        var a2 = ConveneLink(await InvitationAsync("a2"));
        Assert.True((await Client.GetFromJsonAsync<JsonObject>(a1))!["nobodyAsked"]!.GetValue<bool>());
        var both = await Task.WhenAll(ConveneAsync(a1, "yes"), ConveneAsync(a2, "yes"));
        Assert.Single(both, b => b["youConvene"]!.GetValue<bool>());
        var convener = await ConvenerAsync(groupId);
        Assert.Contains(convener, new[] { "a1", "a2" });
        await App.DrainAsync();
        foreach (var id in new[] { "w1", "w2", "a1", "a2" }.Where(id => id != convener))
        {
            Assert.Single(App.Outbox.To($"{id}@example.org"), m => m.Subject?.EndsWith("now convenes your peer group", StringComparison.Ordinal) == true);
        }
        Assert.DoesNotContain(App.Outbox.To($"{convener}@example.org"), m => m.Subject?.EndsWith("now convenes your peer group", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task An_erased_member_of_a_formed_group_is_announced_as_a_member_who_left_and_an_erased_convener_is_replaced_by_asking()
    {
        await App.SeedAsync(Person("cv", convenes: true, years: 15), Person("w1", convenes: true, years: 10), Person("a1"), Person("a2"), Person("a3"));
        var groupId = (await FormAsync())["groups"]![0]!["groupId"]!.GetValue<string>();
        foreach (var id in new[] { "cv", "w1", "a1", "a2", "a3" })
        {
            await AnswerAsync(id, "yes");
        }
        await App.Outbox.WaitForAsync("a1@example.org", "group-introduction");
        var manage = Outbox.Relative(Outbox.Link(await App.Outbox.WaitForAsync("cv@example.org", "group-invitation"), PeerMatchApp.PublicBaseUrl + "/api/me?token="));

        using (var erased = await Client.DeleteAsync(manage))
        {
            Assert.Equal(HttpStatusCode.NoContent, erased.StatusCode);
        }
        await Client.RunMatchAsync(force: true);
        await App.DrainAsync();

        foreach (var id in new[] { "w1", "a1", "a2", "a3" })
        {
            var left = await NewsAsync(id, "PeerMatch: A member left your peer group");
            Assert.Contains("A member has left your peer group.", left.TextBody!, StringComparison.Ordinal);
            Assert.DoesNotContain("cv Example", left.TextBody!, StringComparison.Ordinal);
            Assert.DoesNotContain("cv@example.org", left.TextBody!, StringComparison.Ordinal);
        }
        Assert.Empty(await StorageScan.NamingAsync(App, "cv", "cv@example.org", "cv Example"));
        var request = await App.Outbox.WaitForAsync("w1@example.org", "group-convener-request");
        Assert.True((await ConveneAsync(ConveneLink(request), "yes"))["youConvene"]!.GetValue<bool>());
        await App.DrainAsync();
        Assert.Equal("w1", await ConvenerAsync(groupId));
        Assert.Equal(4, (await GroupAsync(groupId))["members"]!.AsArray().Count(m => m!["joined"]!.GetValue<bool>()));
        await NewsAsync("a2", "PeerMatch: w1 now convenes your peer group");
    }

    [Fact]
    public async Task A_willing_convener_can_start_a_group_from_the_profile_page_or_learns_why_not()
    {
        await App.SeedAsync(Person("cv", convenes: true, years: 15, seeking: ["case-consultation"]), Person("a1"), Person("a2"));
        await App.SeedAsync(PractitionerStatus.Active, [Person("resting", convenes: true)], pausedUntil: new DateOnly(2027, 3, 1));
        var manage = await ManageLinkAsync("cv");

        using (var paused = await Client.PostAsync((await ManageLinkAsync("resting")).Replace("/api/me?", "/api/me/group?", StringComparison.Ordinal), null))
        {
            Assert.Equal(HttpStatusCode.Conflict, paused.StatusCode);
            Assert.Contains("paused", (await paused.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        Assert.DoesNotContain("Start a group now", await ProfilePageAsync("resting"), StringComparison.Ordinal);

        using (var tooFew = await Client.PostAsync(manage.Replace("/api/me?", "/api/me/group?", StringComparison.Ordinal), null))
        {
            Assert.Equal(HttpStatusCode.Conflict, tooFew.StatusCode);
            Assert.Contains("Only 2 others", (await tooFew.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        await App.SeedAsync(Person("a3"));
        using var started = await Client.PostAsync(manage.Replace("/api/me?", "/api/me/group?", StringComparison.Ordinal), null);

        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        await App.Outbox.WaitForAsync("a3@example.org", "group-invitation");
        var invitation = await App.Outbox.WaitForAsync("cv@example.org", "group-invitation");
        Assert.Contains("would you convene", invitation.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_profile_page_shows_the_group_someone_is_in_or_why_none_has_them_yet()
    {
        await App.SeedAsync([Person("cv", convenes: true, years: 15), .. Enumerable.Range(1, 4).Select(i => Person($"m{i}")), Person("far", subdivision: "US-NV", city: "Reno", meeting: "in-person")]);
        var unplaced = (await FormAsync())["unplaced"]!.AsArray().Select(u => u!["id"]!.GetValue<string>()).ToList();
        Assert.Equal(["far"], unplaced);

        var waiting = await ProfilePageAsync("far");
        var member = await ProfilePageAsync("m1");

        Assert.Contains("We are looking for a peer group for you", waiting, StringComparison.Ordinal);
        Assert.Contains("Why none yet: Others looking for a peer group share your model and a language, but none can meet you", waiting, StringComparison.Ordinal);
        Assert.Contains("you are invited; please answer.", member, StringComparison.Ordinal);
        Assert.Contains("/api/groups/", member, StringComparison.Ordinal);
        Assert.DoesNotContain("We are looking for a peer group for you", member, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simultaneous_answers_runs_and_formations_form_once_and_send_each_e_mail_once()
    {
        await App.SeedAsync([Person("cv", convenes: true, years: 15), .. Enumerable.Range(1, 9).Select(i => Person($"m{i}"))]);

        // Two organizers at once: the lease lets one formation run; nobody lands in two groups.
        var formations = await Task.WhenAll(PostFormAsync(), PostFormAsync());
        Assert.Contains(formations, f => f.Status == HttpStatusCode.Accepted);
        await App.DrainAsync();
        var seats = (await App.RowsAsync(GroupTable.Name)).Where(r => !r.RowKey.StartsWith('~') && !r.PartitionKey.StartsWith('~')).ToList();
        Assert.Equal(seats.Count, seats.Select(r => r.RowKey).Distinct().Count());
        var groupId = seats.First(r => r.RowKey == "cv").PartitionKey;
        var members = seats.Where(r => r.PartitionKey == groupId).Select(r => r.RowKey).ToList();

        // Everyone in cv's group says yes at the same moment, while two runs take the clock's steps.
        var answers = members.Select(id => AnswerAsync(id, "yes")).ToList();
        await Task.WhenAll([.. answers, Client.RunMatchAsync(force: true), Client.RunMatchAsync(force: true)]);
        await App.DrainAsync();

        Assert.Equal("formed", (await GroupAsync(groupId))["state"]!.GetValue<string>());
        foreach (var id in members)
        {
            var introductions = App.Outbox.To($"{id}@example.org").Where(m => m.Headers["X-PeerMatch-Kind"] == "group-introduction").ToList();
            // One introduction; and whoever joined after the others formed it hears of nobody twice.
            Assert.Single(introductions, m => m.Subject!.Contains("has formed", StringComparison.Ordinal));
            Assert.Equal(introductions.Count, introductions.Select(m => m.Subject).Distinct().Count());
            Assert.Single(App.Outbox.To($"{id}@example.org"), m => m.Headers["X-PeerMatch-Kind"] == "group-invitation");
        }

        async Task<(HttpStatusCode Status, string Body)> PostFormAsync()
        {
            using var response = await Client.PostAsJsonAsync("/api/organizer/groups", new { });
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task Simultaneous_repeats_of_one_answer_all_say_the_same_of_the_group()
    {
        await App.SeedAsync(Person("cv", convenes: true, years: 15), Person("w1", convenes: true, years: 10), Person("m1"), Person("m2"), Person("m3"));
        var groupId = (await FormAsync())["groups"]![0]!["groupId"]!.GetValue<string>();
        await AnswerAsync("cv", answer: null, convene: "no"); // yes, but as a member: the role waits for the next willing yes

        // The next willing member says yes five times at once: the role passes to them once, and every answer says so.
        var repeats = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => AnswerAsync("w1", "yes")));

        Assert.All(repeats, r => Assert.Equal(("yes", true), (r["answer"]!.GetValue<string>(), r["youConvene"]!.GetValue<bool>())));
        Assert.Equal("w1", await ConvenerAsync(groupId));
    }

    [Fact]
    public async Task Bad_answers_and_foreign_links_change_nothing()
    {
        await App.SeedAsync(Person("cv", convenes: true, years: 15), Person("a1"), Person("a2"), Person("a3"));
        var groupId = (await FormAsync())["groups"]![0]!["groupId"]!.GetValue<string>();
        var link = Relative(await InvitationAsync("a1"));
        await App.DrainAsync();
        var before = await StorageScan.SnapshotAsync(App);

        using var maybe = await Client.PostAsync(link.Replace("?token", "/answer?token", StringComparison.Ordinal), new FormUrlEncodedContent([new("answer", "maybe")]));
        using var convene = await Client.PostAsync(link.Replace("?token", "/answer?token", StringComparison.Ordinal), new FormUrlEncodedContent([new("answer", "yes"), new("convene", "yes")]));
        using var otherGroup = await Client.GetAsync(link.Replace(groupId, "g0000000000000000", StringComparison.Ordinal));
        using var checkInWithGroupToken = await Client.PostAsync(link.Replace("?token", "/met?token", StringComparison.Ordinal), new FormUrlEncodedContent([new("answer", "yes")]));

        Assert.Equal(HttpStatusCode.BadRequest, maybe.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, convene.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, otherGroup.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, checkInWithGroupToken.StatusCode);
        Assert.Equal(before, await StorageScan.SnapshotAsync(App));
    }

    private async Task<JsonObject> FormAsync(object? body = null)
    {
        using var response = await Client.PostAsJsonAsync("/api/organizer/groups", body ?? new { });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private async Task<MimeMessage> InvitationAsync(string id) =>
        (await App.Outbox.WaitForAsync($"{id}@example.org", "group-invitation"));

    private static string Relative(MimeMessage message) => Outbox.Link(message, PeerMatchApp.PublicBaseUrl + "/api/groups/").PathAndQuery;

    /// <summary>Answers as the member would from their invitation: the page's form, as JSON (not a browser).</summary>
    private async Task<JsonObject> AnswerAsync(string id, string? answer, string? convene = null)
    {
        var fields = new List<KeyValuePair<string, string>>();
        if (answer is not null)
        {
            fields.Add(new("answer", answer));
        }
        if (convene is not null)
        {
            fields.Add(new("convene", convene));
        }
        using var response = await Client.PostAsync(Relative(await InvitationAsync(id)).Replace("?token", "/answer?token", StringComparison.Ordinal), new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>The group e-mail to <paramref name="id"/> with this subject, once it is written.</summary>
    private async Task<MimeMessage> NewsAsync(string id, string subject) =>
        (await Eventually.Async(() => Task.FromResult(App.Outbox.To($"{id}@example.org").FirstOrDefault(m => m.Subject == subject)),
            found => found is not null, $"\"{subject}\" to {id}"))!;

    private async Task LeaveAsync(string id)
    {
        using var left = await Client.PostAsync(Relative(await InvitationAsync(id)).Replace("?token", "/leave?token", StringComparison.Ordinal),
            new FormUrlEncodedContent([new("confirm", "yes")]));
        Assert.Equal(HttpStatusCode.OK, left.StatusCode);
    }

    /// <summary>The convener role's page, from a group e-mail of the member's (the request links to it; any group link names the group).</summary>
    private static string ConveneLink(MimeMessage message) => Regex.Replace(Relative(message), @"^(/api/groups/[^/?]+)(/convene)?\?", "$1/convene?");

    private async Task<JsonObject> ConveneAsync(string link, string answer)
    {
        using var response = await Client.PostAsync(link, new FormUrlEncodedContent([new("answer", answer)]));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private async Task<JsonObject> GroupAsync(string groupId) =>
        (await Client.GetFromJsonAsync<JsonObject>("/api/organizer/groups"))!["groups"]!.AsArray().Single(g => g!["groupId"]!.GetValue<string>() == groupId)!.AsObject();

    private async Task<string?> ConvenerAsync(string groupId) => (await GroupAsync(groupId))["convener"]?["id"]?.GetValue<string>();

    private async Task<string> ProfilePageAsync(string id)
    {
        using var response = await Intakes.BrowseAsync(Client, await ManageLinkAsync(id));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return System.Net.WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }

    /// <summary>A profile link, as the app issues it (what a manage-link e-mail carries).</summary>
    private async Task<string> ManageLinkAsync(string id) =>
        (await App.Services.GetRequiredService<PeerMatch.Functions.Intake.IntakeLinks>().ManageUrlAsync(id, default)).PathAndQuery;
}
