using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MimeKit;
using PeerMatch.Intake;
using PeerMatch.Practitioners;
using PeerMatch.Tests.Infrastructure;
using static PeerMatch.Tests.Matching.People;

namespace PeerMatch.Tests.Browser;

/// <summary>Every page a practitioner can reach, in Chromium: what it says when a link leads nowhere, and what axe-core finds.</summary>
public sealed class PagesBrowserTests : BrowserTest
{
    [Fact]
    public async Task Every_page_is_accessible_and_fits_a_phone()
    {
        using (var client = App.CreateClient())
        {
            await Intakes.PostAsync(client, Intakes.Valid("cy@example.org", "Cy Example"));
        }
        var confirm = Outbox.Link(await App.Outbox.WaitForAsync("cy@example.org", "confirmation"), PeerMatchApp.PublicBaseUrl + "/api/confirm?token=");
        var (toAda, _) = await IntroducedPairAsync();
        var page = await NewPageAsync(Phone);
        var visited = new List<string>();

        async Task CheckAsync(string what)
        {
            await AssertAccessibleAsync(page);
            await AssertFitsAsync(page);
            visited.Add(what);
        }

        await page.GotoAsync(BaseUrl + "/api/intake");
        await CheckAsync("sign-up form");
        await page.GetByRole(AriaRole.Button, new() { Name = "Join PeerMatch" }).ClickAsync();
        await Assertions.Expect(page.Locator("#error-summary")).ToBeVisibleAsync();
        await CheckAsync("sign-up form with errors");
        await page.GotoAsync(BaseUrl + "/api/intake/sent");
        await CheckAsync("check your inbox");
        await page.GotoAsync(BaseUrl + "/api/me/link");
        await CheckAsync("get a new link");
        await page.GetByLabel("Your e-mail address").FillAsync("someone@example.org");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send me a new link" }).ClickAsync();
        await Assertions.Expect(Heading(page)).ToHaveTextAsync("Check your inbox");
        await CheckAsync("new link sent");
        await page.GotoAsync(Local(confirm));
        await CheckAsync("confirm, asked");
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm my address" }).ClickAsync();
        await CheckAsync("confirm, done");
        await page.GetByRole(AriaRole.Link, new() { Name = "Review or change my profile" }).ClickAsync();
        var manage = new Uri(page.Url).PathAndQuery;
        await CheckAsync("profile");
        await page.GotoAsync(BaseUrl + manage.Replace("/api/me?", "/api/me/erase?", StringComparison.Ordinal));
        await CheckAsync("erase, asked");
        await page.GotoAsync(BaseUrl + "/api/me/erased");
        await CheckAsync("erased");
        await page.GotoAsync(Local(toAda));
        await CheckAsync("suggestion, answered");
        await page.GotoAsync(Local(toAda).Replace("?token", "/met?token", StringComparison.Ordinal));
        await CheckAsync("link problem (a suggestion's token does not open its follow-up)");
        await page.GotoAsync(BaseUrl + manage.Replace("/api/me?", "/api/unsubscribe?", StringComparison.Ordinal));
        await CheckAsync("link problem (a profile token does not unsubscribe)");
        var unsubscribe = Outbox.Link(await App.Outbox.WaitForAsync("ada@example.org", "digest"), PeerMatchApp.PublicBaseUrl + "/api/unsubscribe?token=");
        await page.GotoAsync(Local(unsubscribe));
        await CheckAsync("unsubscribe, asked");
        await page.GetByRole(AriaRole.Button, new() { Name = "Unsubscribe" }).ClickAsync();
        await Assertions.Expect(Heading(page)).ToHaveTextAsync("You are unsubscribed");
        await CheckAsync("unsubscribe, done");
        App.Clock.Advance(TimeSpan.FromDays(15));
        await App.Services.GetRequiredService<PeerMatch.Matching.SuggestionAnswers>().QueueDueFollowUpsAsync(default);
        await page.GotoAsync(Local(Outbox.Link(await App.Outbox.WaitForAsync("bea@example.org", "follow-up"), PeerMatchApp.PublicBaseUrl + "/api/suggestions/")));
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Yes, we met" })).ToBeVisibleAsync();
        await CheckAsync("did you meet?");

        Assert.Equal(16, visited.Count);
    }

    [Fact]
    public async Task A_link_that_leads_nowhere_shows_a_page_saying_what_happened_and_what_to_do()
    {
        var manage = await SignUpAndConfirmAsync("cy@example.org");
        var (toAda, toBea) = await IntroducedPairAsync();
        var page = await NewPageAsync();

        // A profile link cut short when copied.
        await page.GotoAsync(BaseUrl + manage[..^5]);
        await Assertions.Expect(Heading(page)).ToHaveTextAsync("This link does not work");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Send me a new link" })).ToBeVisibleAsync();

        // An answer's address reopened from the browser's history: the suggestion's page, not a 405.
        await page.GotoAsync(Local(toAda).Replace("?token", "/answer?token", StringComparison.Ordinal));
        await Assertions.Expect(Heading(page)).ToHaveTextAsync("Meet bea");

        // The peer erased their profile while the page was open: answering lands on a page that says so.
        var (toFay, _) = await PlannedPairAsync("fay", "gus");
        await page.GotoAsync(Local(toFay));
        await App.Services.GetRequiredService<PractitionerService>().EraseAsync((await App.Services.GetRequiredService<IPractitionerRepository>().GetAsync("gus", default))!, default);
        await page.GetByRole(AriaRole.Button, new() { Name = "I'd like to connect" }).ClickAsync();
        await Assertions.Expect(Heading(page)).ToHaveTextAsync("This suggestion is no longer available");
        await AssertAccessibleAsync(page);

        // An unsubscribe link changed in copying.
        var unsubscribe = Outbox.Link(await App.Outbox.WaitForAsync("bea@example.org", "digest"), PeerMatchApp.PublicBaseUrl + "/api/unsubscribe?token=");
        await page.GotoAsync(Local(unsubscribe)[..^2]);
        await Assertions.Expect(Heading(page)).ToHaveTextAsync("This link does not work");
        Assert.Empty(await App.RowsAsync("Suppressions"));

        // Links past their time: each says how long it works, and offers a new one.
        using (var client = App.CreateClient())
        {
            await Intakes.PostAsync(client, Intakes.Valid("late@example.org", "Late Comer"));
        }
        var confirm = Outbox.Link(await App.Outbox.WaitForAsync("late@example.org", "confirmation"), PeerMatchApp.PublicBaseUrl + "/api/confirm?token=");
        App.Clock.Advance(TimeSpan.FromDays(31));
        await page.GotoAsync(BaseUrl + manage);
        await Assertions.Expect(Heading(page)).ToHaveTextAsync("This link has expired");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("Profile links work for 30 days");
        await page.GotoAsync(Local(confirm));
        await Assertions.Expect(Heading(page)).ToHaveTextAsync("This link has expired");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("Confirmation links work for 7 days");
        await page.GotoAsync(Local(toBea));
        await Assertions.Expect(Heading(page)).ToHaveTextAsync("This link has expired");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Send me a new link" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Answering_a_suggestion_in_the_browser_shows_the_answer_and_a_reload_sends_nothing_again()
    {
        var (toAda, toBea) = await PlannedPairAsync();
        var ada = await NewPageAsync(Phone);
        await ada.GotoAsync(Local(toAda));
        await Assertions.Expect(ada.Locator("main")).ToContainTextAsync("both practise understanding-based mediation");
        await AssertAccessibleAsync(ada);

        await ada.GetByRole(AriaRole.Button, new() { Name = "I'd like to connect" }).ClickAsync();
        await Assertions.Expect(ada.GetByRole(AriaRole.Status)).ToContainTextAsync("If bea says yes too");
        await ada.ReloadAsync();
        await Assertions.Expect(ada.GetByRole(AriaRole.Button, new() { Name = "I'd like to connect" })).ToHaveCountAsync(0);

        var bea = await NewPageAsync();
        await bea.GotoAsync(Local(toBea));
        await bea.GetByRole(AriaRole.Button, new() { Name = "I'd like to connect" }).ClickAsync();
        await Assertions.Expect(bea.GetByRole(AriaRole.Status)).ToContainTextAsync("You both said yes");
        await App.Outbox.WaitForAsync("ada@example.org", "introduction");
        await App.DrainAsync();
        Assert.Single(App.Outbox.To("bea@example.org"), m => m.Headers["X-PeerMatch-Kind"] == "introduction");
    }

    [Fact]
    public async Task The_digest_reads_on_a_phone_and_its_html_says_what_its_text_says()
    {
        await PlannedPairAsync();
        var digest = await App.Outbox.WaitForAsync("ada@example.org", "digest");

        await AssertEmailReadsOnPhoneAsync(digest);
    }

    /// <summary>Signs up through the API and confirms; the profile link's path and query.</summary>
    private async Task<string> SignUpAndConfirmAsync(string email)
    {
        using var client = App.CreateClient();
        return await Intakes.SignUpAndConfirmAsync(App, client, email, "Cy Example");
    }

    /// <summary>Two who suit each other (ada and bea unless named) and a forced run: the links of their suggestions to each other.</summary>
    private async Task<(Uri ToOne, Uri ToOther)> PlannedPairAsync(string one = "ada", string other = "bea")
    {
        var repository = App.Services.GetRequiredService<IPractitionerRepository>();
        var now = App.Clock.GetUtcNow();
        foreach (var person in new[] { Person(one), Person(other) })
        {
            await repository.TryCreateAsync(new Practitioner(person.Id, person.Profile, PractitionerStatus.Active, now, now, now, null), default);
        }
        using var organizer = App.CreateClient();
        organizer.DefaultRequestHeaders.Add("x-functions-key", PeerMatchApp.OrganizerKey);
        using var run = await organizer.PostAsJsonAsync("/api/organizer/match-runs", new { force = true });
        run.EnsureSuccessStatusCode();
        return (SuggestionLink(await App.Outbox.WaitForAsync($"{one}@example.org", "digest")), SuggestionLink(await App.Outbox.WaitForAsync($"{other}@example.org", "digest")));
    }

    /// <summary>A planned pair who have both said yes.</summary>
    private async Task<(Uri ToAda, Uri ToBea)> IntroducedPairAsync()
    {
        var (toAda, toBea) = await PlannedPairAsync();
        using var client = App.CreateClient();
        foreach (var link in new[] { toAda, toBea })
        {
            using var answered = await client.PostAsJsonAsync(link.PathAndQuery.Replace("?token", "/answer?token", StringComparison.Ordinal), new JsonObject { ["answer"] = "yes" });
            answered.EnsureSuccessStatusCode();
        }
        return (toAda, toBea);
    }

    private static Uri SuggestionLink(MimeMessage digest) => Outbox.Link(digest, PeerMatchApp.PublicBaseUrl + "/api/suggestions/");
}
