using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace PeerMatch.Tests.Infrastructure;

/// <summary>
/// A local HTTP endpoint that answers like SendGrid's v3 mail/send, for the real SendGrid client to
/// talk to (via SendGrid__Host). It answers each request with the next scripted status (202 once
/// the script runs out) and keeps the bodies it accepted.
/// </summary>
public sealed class FakeSendGrid : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<int> _script = new();

    private FakeSendGrid(WebApplication app) => _app = app;

    public ConcurrentQueue<JsonObject> Accepted { get; } = new();

    /// <summary>The address of every personalization accepted in messages of <paramref name="kind"/>, once per time it was accepted.</summary>
    public IReadOnlyList<string> AcceptedRecipients(string kind = "invitation") =>
        Accepted.Where(m => m["headers"]?["X-PeerMatch-Kind"]?.GetValue<string>() == kind).SelectMany(m => m["personalizations"]!.AsArray()).SelectMany(p => p!["to"]!.AsArray()).Select(t => t!["email"]!.GetValue<string>()).ToList();

    /// <summary>
    /// Whether an accepted request's answer is held back until the client goes away: SendGrid has the message, and
    /// the client never learns it (it is killed meanwhile).
    /// </summary>
    public bool HoldAnswers { get; set; }

    /// <summary>What a 429 asks the client to wait, in seconds.</summary>
    public int RetryAfterSeconds { get; set; } = 1;

    public int Requests => _requests;

    private int _requests;

    public Uri Address => _app.Address();

    public void Script(params int[] statuses)
    {
        foreach (var status in statuses)
        {
            _script.Enqueue(status);
        }
    }

    public static async Task<FakeSendGrid> StartAsync()
    {
        var app = LoopbackServer.CreateBuilder().Build();
        var fake = new FakeSendGrid(app);
        app.MapPost("/v3/mail/send", async (HttpRequest request) =>
        {
            Interlocked.Increment(ref fake._requests);
            var status = fake._script.TryDequeue(out var scripted) ? scripted : StatusCodes.Status202Accepted;
            if (request.Headers.Authorization != "Bearer SG.test-key")
            {
                return Results.StatusCode(StatusCodes.Status401Unauthorized);
            }
            if (status == StatusCodes.Status429TooManyRequests)
            {
                request.HttpContext.Response.Headers.RetryAfter = fake.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            if (status == StatusCodes.Status202Accepted)
            {
                fake.Accepted.Enqueue((await JsonNode.ParseAsync(request.Body))!.AsObject());
                if (fake.HoldAnswers)
                {
                    await Task.Delay(Timeout.Infinite, request.HttpContext.RequestAborted).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }
            }
            return Results.StatusCode(status);
        });
        await app.StartAsync();
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
