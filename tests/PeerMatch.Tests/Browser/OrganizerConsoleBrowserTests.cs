using System.Text;
using Microsoft.Playwright;
using PeerMatch.Matching;
using PeerMatch.Tests.Infrastructure;
using static PeerMatch.Tests.Matching.People;

namespace PeerMatch.Tests.Browser;

/// <summary>The organizer console in Chromium: the key typed once, a CSV checked, then sent, and the campaign followed to 100 %.</summary>
public sealed class OrganizerConsoleBrowserTests : BrowserTest
{
    [Fact]
    public async Task An_organizer_uploads_a_csv_sees_the_counts_sends_and_watches_the_campaign_reach_100_percent()
    {
        using (var client = App.CreateClient())
        {
            await Intakes.SignUpAndConfirmAsync(App, client, "member@example.org", "Mia Member");
        }
        var csv = "email,name\r\n" + string.Concat(Enumerable.Range(1, 30).Select(i => $"person{i}@example.org,Person {i}\r\n"))
            + "PERSON1@example.org,Twice\r\nmember@example.org,Mia\r\nnot-an-address,Nobody\r\n";

        var page = await NewPageAsync(Phone);
        // Requests are reported on the browser's thread while the test reads the list.
        var addresses = new System.Collections.Concurrent.ConcurrentQueue<string>();
        page.Request += (_, request) => addresses.Enqueue(request.Url);
        await page.GotoAsync(BaseUrl + "/api/organizer");
        await AssertAccessibleAsync(page);

        // A wrong key is refused and asked for again.
        await page.GetByLabel("Organizer key").FillAsync("not-the-key");
        await page.GetByRole(AriaRole.Button, new() { Name = "Open the console" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("That key was not accepted");
        await page.GetByLabel("Organizer key").FillAsync(PeerMatchApp.OrganizerKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Open the console" }).ClickAsync();
        await Assertions.Expect(page.GetByText("No campaign yet.")).ToBeVisibleAsync();

        // Checked first: the counts, the rows left out, and nothing sent.
        await page.GetByLabel("Campaign title").FillAsync("Spring network 2027");
        await page.GetByLabel("Your message (optional)").FillAsync("Dear colleague,\nJoin our <b>peer groups</b>.");
        await page.GetByLabel("The list (CSV)").SetInputFilesAsync(new FilePayload { Name = "network.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });
        await page.GetByRole(AriaRole.Button, new() { Name = "Check the list" }).ClickAsync();
        var preview = page.Locator("#preview");
        await Assertions.Expect(preview.Locator("[data-count=accepted]")).ToHaveTextAsync("30");
        await Assertions.Expect(preview.Locator("[data-count=duplicates]")).ToHaveTextAsync("1");
        await Assertions.Expect(preview.Locator("[data-count=alreadyMembers]")).ToHaveTextAsync("1");
        await Assertions.Expect(preview.Locator("[data-count=invalid]")).ToHaveTextAsync("1");
        await Assertions.Expect(preview.GetByRole(AriaRole.Row).Last).ToContainTextAsync("not-an-address");
        await AssertAccessibleAsync(page);
        await AssertFitsAsync(page);
        Assert.Empty(await App.RowsAsync("Invitations"));

        // Sent, then followed until every invitation is out.
        await page.GetByRole(AriaRole.Button, new() { Name = "Send 30 invitations" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("30 invitations recorded");
        var campaign = page.Locator("li.campaign", new() { HasText = "Spring network 2027" });
        await Assertions.Expect(campaign.Locator(".campaign-progress")).ToHaveTextAsync("100 % · 30 of 30 sent · done", new() { Timeout = 30_000 });
        await Assertions.Expect(campaign.Locator("progress")).ToHaveAttributeAsync("value", "100");
        await AssertAccessibleAsync(page);
        await AssertFitsAsync(page);
        Assert.Equal(30, App.Outbox.All().Count(m => m.Headers["X-PeerMatch-Kind"] == "invitation"));
        Assert.Contains("Join our <b>peer groups</b>.", (await App.Outbox.WaitForAsync("person7@example.org", "invitation")).TextBody, StringComparison.Ordinal);

        // The key stays with the tab (a reload asks for nothing), never in an address; "Forget the key" drops it.
        await page.ReloadAsync();
        await Assertions.Expect(campaign.Locator(".campaign-progress")).ToContainTextAsync("done");
        Assert.DoesNotContain(addresses.ToArray(), address => address.Contains(PeerMatchApp.OrganizerKey, StringComparison.Ordinal));
        await page.GetByRole(AriaRole.Button, new() { Name = "Forget the key" }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("Organizer key")).ToBeVisibleAsync();
        Assert.Null(await page.EvaluateAsync<string?>("sessionStorage.getItem('peermatch.organizerKey')"));
    }

    [Fact]
    public async Task An_organizer_previews_groups_for_a_model_forms_them_and_follows_the_answers()
    {
        await App.SeedAsync(Person("cv", convenes: true, years: 15), Person("a1"), Person("a2"), Person("a3"),
            Person("t1", models: ["transformative"]), Person("t2", models: ["transformative"]), Person("t3", models: ["transformative"]), Person("t4", models: ["transformative"]));
        var page = await NewPageAsync(Phone);
        await page.GotoAsync(BaseUrl + "/api/organizer");
        await page.GetByLabel("Organizer key").FillAsync(PeerMatchApp.OrganizerKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Open the console" }).ClickAsync();
        await Assertions.Expect(page.GetByText("No group yet.")).ToBeVisibleAsync();

        await page.GetByLabel("Model").SelectOptionAsync("understanding-based");
        await page.GetByRole(AriaRole.Button, new() { Name = "Preview groups" }).ClickAsync();
        await Assertions.Expect(page.Locator("#proposals-summary")).ToHaveTextAsync("1 group for 4 people; 0 left out.");
        await Assertions.Expect(page.Locator("#proposal-list")).ToContainTextAsync("Convener: cv Example");
        await AssertAccessibleAsync(page);
        await AssertFitsAsync(page);
        Assert.Empty(await App.RowsAsync(PeerMatch.Functions.Groups.GroupTable.Name));

        await page.GetByRole(AriaRole.Button, new() { Name = "Form this group now" }).ClickAsync();
        await Assertions.Expect(page.Locator("#formed")).ToContainTextAsync("1 group formed");
        var group = page.Locator("li.group-state");
        await Assertions.Expect(group).ToHaveCountAsync(1);
        await Assertions.Expect(group).ToContainTextAsync("Inviting · understanding-based · in-person · 0 of 4 said yes");
        await Assertions.Expect(group).ToContainTextAsync("a1 Example: waiting");
        await AssertAccessibleAsync(page);
        await AssertFitsAsync(page);
        await App.Outbox.WaitForAsync("a1@example.org", "group-invitation");
        Assert.DoesNotContain(App.Outbox.All(), m => m.To.ToString().Contains("t1@", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_organizer_sees_who_is_not_yet_served_by_country_and_model_with_the_reason()
    {
        await App.SeedAsync(
            Person("ada"), Person("bea"),
            Person("eve", country: "DE", subdivision: null, city: "Berlin", timeZone: "Europe/Berlin", languages: ["de"], models: ["transformative"]));
        using (var organizer = App.CreateClient())
        {
            organizer.DefaultRequestHeaders.Add("x-functions-key", PeerMatchApp.OrganizerKey);
            await organizer.RunMatchAsync(force: true);
        }

        var page = await NewPageAsync(Phone);
        await page.GotoAsync(BaseUrl + "/api/organizer");
        await page.GetByLabel("Organizer key").FillAsync(PeerMatchApp.OrganizerKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Open the console" }).ClickAsync();

        var coverage = page.Locator("#coverage");
        await Assertions.Expect(coverage.Locator("[data-coverage=confirmed]")).ToHaveTextAsync("3");
        await Assertions.Expect(coverage.Locator("[data-coverage=neverSuggested]")).ToHaveTextAsync("1");
        var neverSuggested = coverage.Locator("[data-gap=neverSuggested]");
        var germany = neverSuggested.GetByRole(AriaRole.Table, new() { Name = "Never suggested, by country" }).GetByRole(AriaRole.Row).Filter(new() { HasText = "(DE)" });
        await Assertions.Expect(germany).ToContainTextAsync("no one else works in their languages");
        await Assertions.Expect(neverSuggested.GetByRole(AriaRole.Table, new() { Name = "Never suggested, by model" })).ToContainTextAsync("Transformative");
        await AssertAccessibleAsync(page);
        await AssertFitsAsync(page);

        // Counted again after the organizer acts: a newcomer who shares eve's language is waiting for the next plan.
        await App.SeedAsync(Person("finn", country: "DE", subdivision: null, city: "Berlin", timeZone: "Europe/Berlin", languages: ["de"], models: ["transformative"]));
        await page.GetByRole(AriaRole.Button, new() { Name = "Count again" }).ClickAsync();
        await Assertions.Expect(coverage.Locator("[data-coverage=neverSuggested]")).ToHaveTextAsync("2");
        await Assertions.Expect(germany).ToContainTextAsync("2");
    }

    [Fact]
    public async Task An_organizer_previews_the_week_s_suggestions_with_their_reasons_and_nothing_is_stored_or_sent()
    {
        await App.SeedAsync(Person("ada"), Person("bea"));
        var page = await NewPageAsync(Phone);
        await page.GotoAsync(BaseUrl + "/api/organizer");
        await page.GetByLabel("Organizer key").FillAsync(PeerMatchApp.OrganizerKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Open the console" }).ClickAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Preview this week's suggestions" }).ClickAsync();
        await Assertions.Expect(page.Locator("#dry-run-summary")).ToHaveTextAsync(
            "2 suggestions (each goes both ways: 1 pair) for 2 practitioners, ranked by the prior (no ranker trained yet).", new() { Timeout = 20_000 });
        var rows = page.Locator("#dry-run-rows tr");
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        await Assertions.Expect(rows.First).ToContainTextAsync("ada Example");
        await Assertions.Expect(rows.First).ToContainTextAsync("both practise understanding-based mediation");
        await Assertions.Expect(page.Locator("#dry-run-pager")).ToBeHiddenAsync();
        await AssertAccessibleAsync(page);
        await AssertFitsAsync(page);
        Assert.Empty(await App.RowsAsync(PeerMatch.Functions.Matching.SuggestionTable.Name));
        Assert.Empty(App.Outbox.All());
    }

    [Fact]
    public async Task A_large_dry_run_is_shown_a_page_at_a_time()
    {
        await App.SeedAsync(Enumerable.Range(0, 420).Select(i => Person($"p{i:D3}", years: 3 + i % 20)).ToArray());
        var page = await NewPageAsync();
        await page.GotoAsync(BaseUrl + "/api/organizer");
        await page.GetByLabel("Organizer key").FillAsync(PeerMatchApp.OrganizerKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Open the console" }).ClickAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Preview this week's suggestions" }).ClickAsync();
        var pageNumber = page.Locator("#dry-run-page");
        await Assertions.Expect(pageNumber).ToHaveTextAsync("Page 1 of 2", new() { Timeout = 20_000 });
        var rows = page.Locator("#dry-run-rows tr");
        await Assertions.Expect(rows).ToHaveCountAsync(MatchRunStatus.PreviewPageSize);
        await Assertions.Expect(rows.First).ToContainTextAsync("p000 Example");
        var previous = page.GetByRole(AriaRole.Button, new() { Name = "Previous page" });
        var next = page.GetByRole(AriaRole.Button, new() { Name = "Next page" });
        await Assertions.Expect(previous).ToBeDisabledAsync();

        await next.ClickAsync();
        await Assertions.Expect(pageNumber).ToHaveTextAsync("Page 2 of 2");
        await Assertions.Expect(rows.Last).ToContainTextAsync("p419 Example");
        await Assertions.Expect(next).ToBeDisabledAsync();
        await Assertions.Expect(previous).ToBeEnabledAsync();
        await AssertAccessibleAsync(page);
    }

    [Fact]
    public async Task Invitations_left_in_doubt_by_a_crash_ask_the_organizer_and_counting_them_as_sent_settles_the_campaign()
    {
        Api.DefaultRequestHeaders.Add("x-functions-key", PeerMatchApp.OrganizerKey);
        using (var posted = await Api.PostAsync("/api/organizer/invitations?campaign=Autumn%20circle",
            new StringContent("email,name\n" + string.Concat(Enumerable.Range(1, 3).Select(i => $"p{i}@example.org,P {i}\n")), Encoding.UTF8, "text/csv")))
        {
            posted.EnsureSuccessStatusCode();
        }
        await App.DrainAsync();
        // As a crash during the request to SendGrid leaves it (the sending itself is tested with the real process).
        var shard = Assert.Single(await App.RowsAsync("Campaigns"), r => r.RowKey.StartsWith("shard-", StringComparison.Ordinal));
        shard["State"] = "in-doubt";
        await App.Table("Campaigns").UpdateEntityAsync(shard, shard.ETag);

        foreach (var options in new[] { Phone, new() { ViewportSize = new() { Width = 1280, Height = 900 } } })
        {
            var page = await NewPageAsync(options);
            await page.GotoAsync(BaseUrl + "/api/organizer");
            await page.GetByLabel("Organizer key").FillAsync(PeerMatchApp.OrganizerKey);
            await page.GetByRole(AriaRole.Button, new() { Name = "Open the console" }).ClickAsync();
            var campaign = page.Locator("li.campaign", new() { HasText = "Autumn circle" });
            await Assertions.Expect(campaign.Locator(".campaign-progress")).ToHaveTextAsync("0 % · 0 of 3 sent · 3 in doubt · waiting for your decision");
            await Assertions.Expect(campaign.Locator(".in-doubt-text")).ToContainTextAsync("peermatch_mailing");
            await Assertions.Expect(campaign.GetByRole(AriaRole.Button, new() { Name = "Send the 3 again" })).ToBeVisibleAsync();
            await AssertAccessibleAsync(page);
            await AssertFitsAsync(page);
            await campaign.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), $"console-in-doubt-{options.ViewportSize!.Width}.png") });
        }

        var decide = await NewPageAsync(Phone);
        await decide.GotoAsync(BaseUrl + "/api/organizer");
        await decide.GetByLabel("Organizer key").FillAsync(PeerMatchApp.OrganizerKey);
        await decide.GetByRole(AriaRole.Button, new() { Name = "Open the console" }).ClickAsync();
        var item = decide.Locator("li.campaign", new() { HasText = "Autumn circle" });
        await item.GetByRole(AriaRole.Button, new() { Name = "Count them as sent" }).ClickAsync();

        await Assertions.Expect(item.Locator(".in-doubt-note")).ToHaveTextAsync("3 counted as sent.");
        await Assertions.Expect(item.Locator(".campaign-progress")).ToHaveTextAsync("100 % · 3 of 3 sent · done");
        await Assertions.Expect(item.Locator(".in-doubt")).ToBeHiddenAsync();
        await App.DrainAsync();
        Assert.Equal(3, App.Outbox.All().Count); // nothing sent again
    }
}
