using Microsoft.Playwright;
using PeerMatch.Tests.Infrastructure;

namespace PeerMatch.Tests.Browser;

/// <summary>Signing up, confirming and looking after one's profile, in Chromium: on a phone, by keyboard, and with scripts off.</summary>
public sealed class SignUpBrowserTests : BrowserTest
{
    [Fact]
    public async Task A_practitioner_signs_up_on_a_phone_and_a_double_click_sends_one_email()
    {
        var page = await NewPageAsync(Phone);
        await page.GotoAsync(BaseUrl + "/api/intake");
        await AssertFitsAsync(page);
        // The browser's time zone is filled in for them.
        await Assertions.Expect(page.GetByLabel("Time zone")).ToHaveValueAsync("America/Los_Angeles");

        await FillSignUpAsync(page, "Ada Browser", "ada.browser@example.org");
        // Languages by name, found with the filter.
        await page.GetByLabel("Find a language").FillAsync("span");
        await Assertions.Expect(page.GetByLabel("German", new() { Exact = true })).ToBeHiddenAsync();
        await page.GetByLabel("Spanish", new() { Exact = true }).CheckAsync();
        // The answer takes a moment: meanwhile the button is disabled, and a double click sends once.
        await page.RouteAsync("**/api/practitioners", async route =>
        {
            await Task.Delay(700);
            await route.ContinueAsync();
        });
        var disabledAfterTwoClicks = await page.EvaluateAsync<bool>("""
            () => {
              const join = document.querySelector('#profile-form button[type=submit]');
              join.click();
              join.click();
              return new Promise(done => setTimeout(() => done(join.disabled), 50));
            }
            """);
        Assert.True(disabledAfterTwoClicks);

        // The form is gone: a page says what happens next, and reloading it sends nothing.
        await Assertions.Expect(Heading(page)).ToHaveTextAsync("Check your inbox");
        await Assertions.Expect(page.Locator("form#profile-form")).ToHaveCountAsync(0);
        await page.ReloadAsync();
        await App.Outbox.WaitForAsync("ada.browser@example.org", "confirmation");
        await App.DrainAsync();
        Assert.Single(App.Outbox.To("ada.browser@example.org"));
        var row = Assert.Single(await App.RowsAsync("Practitioners"));
        Assert.Equal("en,es", row.GetString("Languages"));
        Assert.Equal("US-CA", row.GetString("Subdivision"));
    }

    [Fact]
    public async Task Errors_are_listed_in_words_and_reachable_with_the_keyboard_alone()
    {
        var page = await NewPageAsync();
        await page.GotoAsync(BaseUrl + "/api/intake");

        // Keyboard only: Tab past the site's name to the first field; type, then send with Enter.
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("name", await page.EvaluateAsync<string>("document.activeElement.id"));
        await page.Keyboard.TypeAsync("Kay Board");
        await page.Keyboard.PressAsync("Enter");

        var summary = page.Locator("#error-summary");
        await Assertions.Expect(summary).ToBeFocusedAsync();
        await Assertions.Expect(summary).ToContainTextAsync("E-mail address:");
        await Assertions.Expect(summary).Not.ToContainTextAsync("region.country");
        await Assertions.Expect(page.GetByLabel("E-mail address")).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(page.GetByLabel("Your name")).ToHaveValueAsync("Kay Board");
        await AssertAccessibleAsync(page);

        // Each listed error takes the keyboard to its field.
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Enter");
        Assert.Equal("email", await page.EvaluateAsync<string>("document.activeElement.id"));
        Assert.Empty(await App.RowsAsync("Practitioners"));
    }

    [Fact]
    public async Task Without_scripts_a_practitioner_signs_up_confirms_edits_pauses_unsubscribes_and_erases()
    {
        var page = await NewPageAsync(new() { JavaScriptEnabled = false });
        await page.GotoAsync(BaseUrl + "/api/intake");
        await FillSignUpAsync(page, "Noah Script", "noah@example.org");
        // Without scripts nothing stops a double click in the browser: the server sends one e-mail anyway.
        await page.GetByRole(AriaRole.Button, new() { Name = "Join PeerMatch" }).DblClickAsync();
        await Assertions.Expect(Heading(page)).ToHaveTextAsync("Check your inbox");

        // Confirm: the link shows a button, the button activates.
        var confirmation = await App.Outbox.WaitForAsync("noah@example.org", "confirmation");
        await App.DrainAsync();
        Assert.Single(App.Outbox.To("noah@example.org"));
        await page.GotoAsync(Local(Outbox.Link(confirmation, PeerMatchApp.PublicBaseUrl + "/api/confirm?token=")));
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm my address" }).ClickAsync();
        await Assertions.Expect(Heading(page)).ToHaveTextAsync("Your profile is active");
        await page.GetByRole(AriaRole.Link, new() { Name = "Review or change my profile" }).ClickAsync();

        // The profile page is the form, filled in; edit and pause.
        await Assertions.Expect(Heading(page)).ToHaveTextAsync("Your PeerMatch profile");
        await Assertions.Expect(page.GetByLabel("Your name")).ToHaveValueAsync("Noah Script");
        await Assertions.Expect(page.GetByLabel("State, province or region (optional)")).ToHaveValueAsync("California");
        await Assertions.Expect(page.GetByLabel("English", new() { Exact = true })).ToBeCheckedAsync();
        Assert.False(await page.GetByLabel("E-mail address", new() { Exact = true }).IsEditableAsync());
        await page.GetByLabel("Years of mediation experience").FillAsync("8");
        await page.GetByLabel("Pause suggestions until (optional)").FillAsync("2027-02-01");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Your changes are saved");
        await Assertions.Expect(page.Locator(".warning")).ToContainTextAsync("paused until Monday 1 February 2027");
        // The profile row (a double submission of the sign-up form may have kept a later sign-up beside it).
        var row = Assert.Single(await App.RowsAsync("Practitioners"), r => r.RowKey == "profile");
        Assert.Equal((8, "2027-02-01"), (row.GetInt32("YearsExperience"), row.GetString("PausedUntil")));

        // Invite a colleague from the profile page: the page says it went, and the invitation names Noah.
        await page.GetByLabel("Their e-mail address").FillAsync("olga@example.org");
        await page.GetByLabel("Their name (optional)").FillAsync("Olga");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send the invitation" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("your colleague will get an invitation from you");
        Assert.Equal("An invitation to PeerMatch from Noah Script", (await App.Outbox.WaitForAsync("olga@example.org", "invitation")).Subject);

        // Unsubscribe: a button, then a page that says so, and says so again when reopened.
        var profile = page.Url.Split('#')[0].Replace("&invite=sent", "", StringComparison.Ordinal);
        await page.GetByRole(AriaRole.Link, new() { Name = "Stop all e-mail" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Unsubscribe" }).ClickAsync();
        await Assertions.Expect(Heading(page)).ToHaveTextAsync("You are unsubscribed");
        Assert.Single(await App.RowsAsync("Suppressions"));
        await page.GoBackAsync();
        await page.ReloadAsync();
        await Assertions.Expect(Heading(page)).ToHaveTextAsync("Already unsubscribed");

        // Erase: a confirmation step, then a page with nothing of the profile on it.
        await page.GotoAsync(profile);
        await page.GetByRole(AriaRole.Link, new() { Name = "Erase my profile" }).ClickAsync();
        await Assertions.Expect(Heading(page)).ToHaveTextAsync("Erase your profile?");
        await page.GetByRole(AriaRole.Button, new() { Name = "Erase everything" }).ClickAsync();
        await Assertions.Expect(Heading(page)).ToHaveTextAsync("Your profile is erased");
        Assert.DoesNotContain("Noah", await page.ContentAsync(), StringComparison.Ordinal);
        Assert.Empty(await App.RowsAsync("Practitioners"));
        await page.GotoAsync(profile);
        await Assertions.Expect(Heading(page)).ToHaveTextAsync("This profile no longer exists");
    }

    private static async Task FillSignUpAsync(IPage page, string name, string email)
    {
        await page.GetByLabel("Your name").FillAsync(name);
        await page.GetByLabel("E-mail address").FillAsync(email);
        await page.GetByLabel("Understanding-based").CheckAsync();
        await page.GetByLabel("Country").SelectOptionAsync(new SelectOptionValue { Label = "United States" });
        await page.GetByLabel("State, province or region (optional)").FillAsync("California");
        await page.GetByLabel("City (optional)").FillAsync("Oakland");
        await page.GetByLabel("Time zone").SelectOptionAsync("America/Los_Angeles");
        await page.GetByLabel("Years of mediation experience").FillAsync("7");
        await page.GetByLabel("In person or online").CheckAsync();
        await page.GetByLabel("Family", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("English", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("A peer support group").CheckAsync();
        await page.GetByLabel("I would be willing to convene a peer group").CheckAsync();
        await page.GetByLabel("A few words about your practice (optional)").FillAsync("Family mediator, East Bay.");
        await page.GetByLabel("I agree that PeerMatch keeps this profile", new() { Exact = false }).CheckAsync();
    }
}
