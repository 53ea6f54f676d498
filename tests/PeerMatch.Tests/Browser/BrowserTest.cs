using Deque.AxeCore.Playwright;
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
        // A free port, chosen by Kestrel as it binds. (UseKestrel(0) has the factory rewrite the server's addresses after
        // building the host, which races the app's own start and now and then throws.)
        App.UseKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0));
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

    /// <summary>
    /// An e-mail's HTML part fits a phone, passes axe, and says what its text part says: every line of the text is
    /// on the rendered page, and every link of the text is a link there.
    /// </summary>
    protected async Task AssertEmailReadsOnPhoneAsync(MimeKit.MimeMessage email)
    {
        var page = await NewPageAsync(Phone);
        await page.SetContentAsync(email.HtmlBody!);

        await AssertFitsAsync(page);
        await AssertAccessibleAsync(page, isEmail: true);
        var shown = Normalize(await page.Locator("body").InnerTextAsync());
        foreach (var line in email.TextBody!.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0))
        {
            // A list item in the text part starts "- "; a link is "words: address", where the HTML shows the words and links the address.
            var words = line.StartsWith("- ", StringComparison.Ordinal) ? line[2..] : line;
            words = words.Contains(": http", StringComparison.Ordinal) ? words[..words.IndexOf(": http", StringComparison.Ordinal)] : words;
            Assert.Contains(Normalize(words), shown, StringComparison.Ordinal);
        }
        var hrefs = await page.Locator("a").EvaluateAllAsync<string[]>("links => links.map(a => a.href)");
        var links = email.TextBody!.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries).Where(w => w.StartsWith("http", StringComparison.Ordinal));
        Assert.All(links, link => Assert.Contains(link, hrefs));
    }

    private static string Normalize(string text) => string.Join(' ', text.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));

    protected static ILocator Heading(IPage page) => page.GetByRole(AriaRole.Heading, new() { Level = 1 });
}
