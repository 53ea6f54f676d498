using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PeerMatch.Tests.Infrastructure;

namespace PeerMatch.Tests.Security;

/// <summary>Organizer keys cannot be guessed at speed: wrong keys are counted per client, refused beyond a limit, and logged without the key.</summary>
public sealed class OrganizerKeyGuessTests
{
    [Fact]
    public async Task A_client_that_sends_too_many_wrong_keys_is_refused_with_429_whatever_key_it_sends_and_each_guess_is_logged()
    {
        var log = new TelemetryCapture();
        await using var app = new PeerMatchApp(new() { ["PeerMatch:WrongOrganizerKeysPer10Minutes"] = "5" }, s => s.AddSingleton<ILoggerProvider>(log));
        using var client = app.CreateClient();

        // Asking without any key is no guess: it is told a key is needed, and counts for nothing.
        for (var i = 0; i < 6; i++)
        {
            using var keyless = await client.GetAsync("/api/organizer/coverage");
            Assert.Equal(HttpStatusCode.Unauthorized, keyless.StatusCode);
        }

        var answers = new List<HttpStatusCode>();
        for (var guess = 0; guess < 8; guess++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/organizer/groups");
            request.Headers.Add("x-functions-key", $"guess-{guess:D4}-0123456789");
            using var response = await client.SendAsync(request);
            answers.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.Equal(TimeSpan.FromMinutes(10), response.Headers.RetryAfter!.Delta);
                Assert.Contains("Too many wrong organizer keys", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
        }
        // Now the right key: refused too, or it would tell a guesser that this one was right.
        using var right = new HttpRequestMessage(HttpMethod.Post, "/api/organizer/match-runs") { Content = JsonContent.Create(new { force = true }) };
        right.Headers.Add("x-functions-key", PeerMatchApp.OrganizerKey);
        using var refused = await client.SendAsync(right);

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.Unauthorized, 5), .. Enumerable.Repeat(HttpStatusCode.TooManyRequests, 3)], answers);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Empty(await app.RowsAsync("MatchRuns"));
        var entries = log.Entries.ToList();
        Assert.Equal(5, entries.Count(e => e.Contains("Wrong organizer key from", StringComparison.Ordinal)));
        Assert.Single(entries, e => e.Contains("wrong organizer keys: its organizer requests are refused", StringComparison.Ordinal));
        Assert.DoesNotContain(entries, e => e.Contains("guess-0", StringComparison.Ordinal));
    }
}
