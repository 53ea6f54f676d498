using Deque.AxeCore.Playwright;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Playwright;
using PeerMatch.Tests.Infrastructure;

namespace PeerMatch.Tests.Browser;

/// <summary>
/// The app served by Kestrel on a loopback port, and a real headless Chromium (Debian's, launched by
/// path: no browser is downloaded) to use it as people do.
/// </summary>
public abstract class BrowserTest : IAsyncLifetime
{
    private const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    protected PeerMatchApp App { get; } = new();

    protected string BaseUrl { get; private set; } = "";

    /// <summary>A client for what a test prepares without a browser (API calls, the organizer's run).</summary>
    protected HttpClient Api { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        App.UseKestrel(0);
        App.StartServer();
        BaseUrl = App.ClientOptions.BaseAddress.AbsoluteUri.TrimEnd('/');
        Api = new HttpClient { BaseAddress = new Uri(BaseUrl) };
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
        Api.Dispose();
        await _browser.DisposeAsync();
        _playwright.Dispose();
        await App.DisposeAsync();
    }

    protected static readonly BrowserNewContextOptions Phone = new()
    {
        ViewportSize = new() { Width = 390, Height = 844 }, IsMobile = true, HasTouch = true, TimezoneId = "America/Los_Angeles",
    };

    protected async Task<IPage> NewPageAsync(BrowserNewContextOptions? options = null)
    {
        var context = await _browser.NewContextAsync(options ?? new());
        return await context.NewPageAsync();
    }

    /// <summary>A link from an e-mail, opened on this server (the public base URL stands for it).</summary>
    protected string Local(Uri emailLink) => BaseUrl + emailLink.PathAndQuery;

    /// <summary>
    /// axe-core finds nothing wrong with the page as it stands. An e-mail is held to the WCAG rules only:
    /// landmarks and a page heading are rules for web pages, not for a message in a mail client.
    /// </summary>
    protected static async Task AssertAccessibleAsync(IPage page, bool isEmail = false)
    {
        var result = isEmail
            ? await page.RunAxe(new Deque.AxeCore.Commons.AxeRunOptions { RunOnly = new Deque.AxeCore.Commons.RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } })
            : await page.RunAxe();
        var violations = result.Violations.Select(v => $"{v.Id}: {v.Help} ({string.Join("; ", v.Nodes.Select(n => n.Html))})").ToList();
        Assert.True(violations.Count == 0, $"{page.Url}\n" + string.Join("\n", violations));
    }

    /// <summary>Nothing on the page is wider than the screen: no sideways scrolling on a phone.</summary>
    protected static async Task AssertFitsAsync(IPage page) =>
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"),
            $"{page.Url} is {await page.EvaluateAsync<int>("document.documentElement.scrollWidth")} px wide.");

    protected static ILocator Heading(IPage page) => page.GetByRole(AriaRole.Heading, new() { Level = 1 });
}
