using System.Net.Http.Json;
using Microsoft.Playwright;
using PeerMatch.Tests.Infrastructure;
using static PeerMatch.Tests.Matching.People;

namespace PeerMatch.Tests.Browser;

/// <summary>Peer groups in Chromium: the invitation answered from its page without scripts, and the group's e-mails on a phone.</summary>
public sealed class GroupBrowserTests : BrowserTest
{
    [Fact]
    public async Task Without_scripts_members_answer_an_invitation_and_see_the_formed_group_with_everyone_s_address()
    {
        await App.SeedAsync(Person("cv", convenes: true, years: 15), Person("a1"), Person("a2"), Person("a3"));
        using (var organizer = App.CreateClient())
        {
            organizer.DefaultRequestHeaders.Add("x-functions-key", PeerMatchApp.OrganizerKey);
            (await organizer.PostAsJsonAsync("/api/organizer/groups", new { })).EnsureSuccessStatusCode();
        }
        var page = await NewPageAsync(new() { JavaScriptEnabled = false, ViewportSize = new() { Width = 390, Height = 844 }, TimezoneId = "America/Los_Angeles" });

        // a1 opens the invitation: the others by first name, the draft ground rules, and the buttons.
        var invitation = await App.Outbox.WaitForAsync("a1@example.org", "group-invitation");
        await page.GotoAsync(Local(GroupLink(invitation)));
        await Assertions.Expect(Heading(page)).ToHaveTextAsync("A peer group for you");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("Confidentiality");
        await Assertions.Expect(page.Locator("main")).Not.ToContainTextAsync("cv@example.org");
        await AssertFitsAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Yes, I'd like to join" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("1 of 4 so far");
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Yes, I'd like to join" })).ToHaveCountAsync(0);

        // The convener answers from their own page; then two more say yes, and the group forms.
        var convener = await NewPageAsync(new() { JavaScriptEnabled = false });
        await convener.GotoAsync(Local(GroupLink(await App.Outbox.WaitForAsync("cv@example.org", "group-invitation"))));
        await Assertions.Expect(convener.GetByRole(AriaRole.Button, new() { Name = "Yes, but only as a member" })).ToBeVisibleAsync();
        await convener.GetByRole(AriaRole.Button, new() { Name = "Yes, and I'll convene" }).ClickAsync();
        await Assertions.Expect(convener.GetByRole(AriaRole.Status)).ToContainTextAsync("2 of 4 so far");
        var invited = await NewPageAsync(Phone);
        await invited.GotoAsync(Local(GroupLink(await App.Outbox.WaitForAsync("a2@example.org", "group-invitation"))));
        await AssertAccessibleAsync(invited);
        foreach (var id in new[] { "a2", "a3" })
        {
            var link = GroupLink(await App.Outbox.WaitForAsync($"{id}@example.org", "group-invitation"));
            (await Api.PostAsync(link.PathAndQuery.Replace("?token", "/answer?token", StringComparison.Ordinal), new FormUrlEncodedContent([new("answer", "yes")]))).EnsureSuccessStatusCode();
        }

        await page.ReloadAsync();
        await Assertions.Expect(Heading(page)).ToHaveTextAsync("Your peer group");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("cv@example.org");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("(America/Los_Angeles)");
        await AssertFitsAsync(page);
        // axe runs as a script: the pages are checked where scripts run (the invitation above, the formed group here).
        var phone = await NewPageAsync(Phone);
        await phone.GotoAsync(page.Url);
        await AssertAccessibleAsync(phone);

        await AssertEmailReadsOnPhoneAsync(invitation);
        await AssertEmailReadsOnPhoneAsync(await App.Outbox.WaitForAsync("a1@example.org", "group-introduction"));

        // The time poll, without scripts: a1 marks the first time, chooses every two weeks, and sees the answer kept.
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "When will you meet?" })).ToBeVisibleAsync();
        var firstTime = page.GetByRole(AriaRole.Group, new() { Name = "Times that suit you" }).GetByRole(AriaRole.Checkbox).First;
        await firstTime.CheckAsync();
        await page.GetByLabel("Every 2 weeks").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Send my answer" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Change my answer" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Group, new() { Name = "Times that suit you" }).GetByRole(AriaRole.Checkbox).First).ToBeCheckedAsync();
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("1 of 4 have answered");
        await Assertions.Expect(page.GetByLabel("Every 2 weeks")).ToBeCheckedAsync();
        await AssertFitsAsync(page);
        var poll = await NewPageAsync(Phone);
        await poll.GotoAsync(page.Url);
        await AssertAccessibleAsync(poll);
        await poll.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "group-poll-390.png"), FullPage = true });

        // Leaving asks first: "stay" changes nothing; the confirmation leaves, and the page says so.
        await page.GetByRole(AriaRole.Link, new() { Name = "Leave this group…" }).ClickAsync();
        await Assertions.Expect(Heading(page)).ToHaveTextAsync("Leave this peer group?");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("This cannot be undone.");
        await AssertFitsAsync(page);
        var confirmation = await NewPageAsync(Phone);
        await confirmation.GotoAsync(page.Url);
        await AssertAccessibleAsync(confirmation);
        await confirmation.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "group-leave-390.png"), FullPage = true });
        await page.GetByRole(AriaRole.Link, new() { Name = "No, stay in it" }).ClickAsync();
        await Assertions.Expect(Heading(page)).ToHaveTextAsync("Your peer group");
        await page.GetByRole(AriaRole.Link, new() { Name = "Leave this group…" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Yes, leave the group" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("You have left this group.");
        await App.Outbox.WaitForAsync("cv@example.org", "group-introduction", count: 2); // the others are told
    }

    private static Uri GroupLink(MimeKit.MimeMessage message) => Outbox.Link(message, PeerMatchApp.PublicBaseUrl + "/api/groups/");
}
