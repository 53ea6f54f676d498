using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PeerMatch.Tests.Infrastructure;

namespace PeerMatch.Tests.Security;

/// <summary>Logs and traces carry no token, organizer key, address, name or bio, whatever a flow goes through.</summary>
public sealed partial class LogTests() : AppTest(new PeerMatchApp(
    new()
    {
        // Debug and up, and the telemetry pipeline on (its exporter aims at a closed port): as much as anyone could turn on.
        ["Logging:LogLevel:Default"] = "Debug",
        ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:9/",
    },
    services => services.AddSingleton<ILoggerProvider>(Capture)))
{
    private static readonly TelemetryCapture Capture = new();

    private const string Bio = "Mediates boundary disputes between neighbours on the Isle of Wight.";

    [Fact]
    public async Task A_whole_flow_logs_and_traces_no_token_key_address_name_or_bio()
    {
        // Sign-up, confirmation, profile edits, a new link, a run, answers, a follow-up, an unsubscribe, mistakes and an erase.
        using (await Intakes.PostAsync(Client, Body("wren.logwatch@example.org", "Wren Logwatch"))) { }
        using (await Intakes.PostAsync(Client, Body("quill.logwatch@example.org", "Quill Logwatch"))) { }
        foreach (var address in new[] { "wren.logwatch@example.org", "quill.logwatch@example.org" })
        {
            var confirm = Outbox.Relative(Outbox.Link(await App.Outbox.WaitForAsync(address, "confirmation"), PeerMatchApp.PublicBaseUrl + "/api/confirm?token="));
            using (await Intakes.BrowseAsync(Client, confirm)) { }
            await Intakes.ConfirmAsync(Client, new Uri(PeerMatchApp.PublicBaseUrl + confirm));
        }
        App.Clock.Advance(TimeSpan.FromMinutes(11));
        using (await Client.PostAsJsonAsync("/api/me/link", new { email = "wren.logwatch@example.org" })) { }
        var manage = Outbox.Relative(Outbox.Link(await App.Outbox.WaitForAsync("wren.logwatch@example.org", "manage-link"), PeerMatchApp.PublicBaseUrl + "/api/me?token="));
        using (await Intakes.BrowseAsync(Client, manage)) { }
        using (await Client.PutAsJsonAsync(manage, Body("wren.logwatch@example.org", "Wren Logwatch"))) { }
        using (await Client.PutAsJsonAsync(manage, Body("wren.logwatch@example.org", "Wren\r\nLogwatch"))) { }

        using (var run = await Client.PostAsJsonAsync($"/api/organizer/match-runs?code={PeerMatchApp.OrganizerKey}", new { force = true }))
        {
            Assert.Equal(HttpStatusCode.Accepted, run.StatusCode);
        }
        var digest = await App.Outbox.WaitForAsync("wren.logwatch@example.org", "digest");
        var suggestion = Outbox.Relative(Outbox.Link(digest, PeerMatchApp.PublicBaseUrl + "/api/suggestions/"));
        using (await Intakes.BrowseAsync(Client, suggestion)) { }
        using (await Client.PostAsync(suggestion.Replace("?token", "/answer?token", StringComparison.Ordinal), new FormUrlEncodedContent([new("answer", "yes")]))) { }
        using (await Client.GetAsync(manage[..^3] + "AAA")) { }
        var unsubscribe = Outbox.Relative(Outbox.Link(digest, PeerMatchApp.PublicBaseUrl + "/api/unsubscribe?token="));
        using (await Client.PostAsync(unsubscribe, new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]))) { }
        using (await Client.DeleteAsync(manage)) { }
        await App.DrainAsync();

        var secrets = new HashSet<string>(StringComparer.Ordinal)
        {
            PeerMatchApp.OrganizerKey, "logwatch@example.org", "Wren Logwatch", "Quill Logwatch", "Logwatch", Bio[..30],
        };
        foreach (var message in App.Outbox.All())
        {
            foreach (Match token in TokenInLink().Matches(message.TextBody ?? ""))
            {
                secrets.Add(Uri.UnescapeDataString(token.Groups[1].Value));
                secrets.Add(token.Groups[1].Value);
            }
        }
        Assert.True(secrets.Count > 10, "The flow's e-mails carried too few links to look for.");
        var entries = Capture.Entries.ToList();
        // Something was recorded of every request: the search below looked at the real thing.
        Assert.Contains(entries, e => e.StartsWith("span", StringComparison.Ordinal) && e.Contains("/api/me", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.StartsWith("log", StringComparison.Ordinal) && e.Contains("Job", StringComparison.Ordinal));

        var leaks = entries.SelectMany(e => secrets.Where(s => e.Contains(s, StringComparison.OrdinalIgnoreCase)).Select(s => $"{s} in: {e[..Math.Min(e.Length, 300)]}")).ToList();
        Assert.Empty(leaks);
    }

    private static JsonObject Body(string email, string name)
    {
        var body = Intakes.Valid(email, name);
        body["bio"] = Bio;
        return body;
    }

    [GeneratedRegex(@"token=([^\s&""<>]+)")]
    private static partial Regex TokenInLink();
}
