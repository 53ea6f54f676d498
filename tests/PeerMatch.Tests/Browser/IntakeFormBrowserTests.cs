using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Playwright;
using PeerMatch.Tests.Infrastructure;

namespace PeerMatch.Tests.Browser;

/// <summary>
/// The intake form in a real headless Chromium (Debian's, launched by path: no browser is downloaded),
/// against the app served by Kestrel on a loopback port.
/// </summary>
public sealed class IntakeFormBrowserTests : IAsyncLifetime
{
    private const string ChromiumPath = "/usr/bin/chromium";

    private readonly PeerMatchApp _app = new();
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private string _baseUrl = "";

    public async Task InitializeAsync()
    {
        _app.UseKestrel(0);
        _app.StartServer();
        _baseUrl = _app.ClientOptions.BaseAddress.AbsoluteUri.TrimEnd('/');
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // As root, and on a machine with no network but loopback.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task A_practitioner_signs_up_on_a_phone_confirms_and_edits_their_profile()
    {
        var page = await NewPageAsync(new() { ViewportSize = new() { Width = 390, Height = 844 }, IsMobile = true, HasTouch = true, TimezoneId = "America/Los_Angeles" });
        await page.GotoAsync(_baseUrl + "/api/intake");

        // Usable on a phone: nothing wider than the screen.
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"));
        // The browser's time zone is filled in for them.
        Assert.Equal("America/Los_Angeles", await page.GetByLabel("Time zone").InputValueAsync());

        await page.GetByLabel("Your name").FillAsync("Ada Browser");
        await page.GetByLabel("E-mail address").FillAsync("ada.browser@example.org");
        await page.GetByLabel("Understanding-based").CheckAsync();
        await page.GetByLabel("Country").SelectOptionAsync("US");
        await page.GetByLabel("State, province or region code (optional)").FillAsync("US-CA");
        await page.GetByLabel("City (optional)").FillAsync("Oakland");
        await page.GetByLabel("Years of mediation experience").FillAsync("7");
        await page.GetByLabel("Either").CheckAsync();
        await page.GetByLabel("Family", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("Languages you work in").FillAsync("en, es");
        await page.GetByLabel("Peer group", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("I would be willing to convene a peer group").CheckAsync();
        await page.GetByLabel("A few words about your practice (optional)").FillAsync("Family mediator, East Bay.");
        await page.GetByLabel("I agree that PeerMatch keeps this profile", new() { Exact = false }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Join PeerMatch" }).ClickAsync();

        await Assertions.Expect(page.Locator("#done")).ToContainTextAsync("Check your inbox");
        var confirmation = await _app.Outbox.WaitForAsync("ada.browser@example.org", "confirmation");

        // The link from the e-mail, opened in the browser (the public base URL stands for this server).
        await page.GotoAsync(_baseUrl + Outbox.Relative(Outbox.Link(confirmation, PeerMatchApp.PublicBaseUrl + "/api/confirm?token=")));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading)).ToHaveTextAsync("Your profile is active");
        await page.GetByRole(AriaRole.Link, new() { Name = "Review or change my profile" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading)).ToHaveTextAsync("Your PeerMatch profile");
        await page.GetByRole(AriaRole.Link, new() { Name = "Change or pause my profile" }).ClickAsync();

        // The same form, filled with the stored profile.
        await Assertions.Expect(page.GetByLabel("Your name")).ToHaveValueAsync("Ada Browser");
        Assert.True(await page.GetByLabel("E-mail address").IsEditableAsync() is false);
        await page.GetByLabel("Years of mediation experience").FillAsync("8");
        await page.GetByLabel("Pause suggestions until (optional)").FillAsync("2027-02-01");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();

        await Assertions.Expect(page.Locator("#done")).ToContainTextAsync("saved");
        var row = Assert.Single(await _app.RowsAsync("Practitioners"));
        Assert.Equal(8, row.GetInt32("YearsExperience"));
        Assert.Equal("2027-02-01", row.GetString("PausedUntil"));
        Assert.Equal("Active", row.GetString("Status"));
    }

    [Fact]
    public async Task Errors_are_announced_and_reachable_with_the_keyboard_alone()
    {
        var page = await NewPageAsync(new());
        await page.GotoAsync(_baseUrl + "/api/intake");

        // Keyboard only: the first Tab reaches the first field; type, then submit with Enter.
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("name", await page.EvaluateAsync<string>("document.activeElement.id"));
        await page.Keyboard.TypeAsync("Kay Board");
        await page.Keyboard.PressAsync("Enter");

        var summary = page.Locator("#summary");
        await Assertions.Expect(summary).ToBeVisibleAsync();
        await Assertions.Expect(summary).ToBeFocusedAsync();
        await Assertions.Expect(page.Locator("#email-error")).Not.ToBeEmptyAsync();
        await Assertions.Expect(page.GetByLabel("E-mail address")).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(page.Locator("#consent-error")).Not.ToBeEmptyAsync();

        // Each listed error takes the keyboard to its field.
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Enter");
        Assert.Equal("email", await page.EvaluateAsync<string>("document.activeElement.id"));
        Assert.Empty(await _app.RowsAsync("Practitioners"));
    }

    [Fact]
    public async Task Without_scripts_the_form_still_signs_people_up()
    {
        var page = await NewPageAsync(new() { JavaScriptEnabled = false });
        await page.GotoAsync(_baseUrl + "/api/intake");

        await page.GetByLabel("Your name").FillAsync("Noah Script");
        await page.GetByLabel("E-mail address").FillAsync("noah@example.org");
        await page.GetByLabel("Transformative").CheckAsync();
        await page.GetByLabel("Country").SelectOptionAsync("GB");
        await page.GetByLabel("Time zone").SelectOptionAsync("Europe/London");
        await page.GetByLabel("Years of mediation experience").FillAsync("3");
        await page.GetByLabel("Online").CheckAsync();
        await page.GetByLabel("Languages you work in").FillAsync("en");
        await page.GetByLabel("Mentor", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("I agree that PeerMatch keeps this profile", new() { Exact = false }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Join PeerMatch" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading)).ToHaveTextAsync("Check your inbox");
        await _app.Outbox.WaitForAsync("noah@example.org", "confirmation");
    }

    private async Task<IPage> NewPageAsync(BrowserNewContextOptions options)
    {
        var context = await _browser.NewContextAsync(options);
        return await context.NewPageAsync();
    }
}
