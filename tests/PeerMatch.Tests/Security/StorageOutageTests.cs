using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using PeerMatch.Functions.Hosting;
using PeerMatch.Tests.Infrastructure;

namespace PeerMatch.Tests.Security;

/// <summary>
/// With storage out of reach, every route answers within 5 seconds: a 503 problem with Retry-After, a 4xx, or
/// (for what needs no storage: the form, its assets, the places) the page itself. Malformed links are refused
/// without waiting for storage.
/// </summary>
[Collection(RunAlone.Name)]
public sealed class StorageOutageTests
{
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>Routes that read and write nothing, so they keep answering.</summary>
    private static readonly string[] NeedNoStorage = ["IntakeForm", "IntakeReopened", "IntakeSent", "NewLinkForm", "NewLinkSent", "Asset", "Subdivisions", "Erased", "SuggestionAnswerReopened", "GroupAnswerReopened", "OrganizerConsole"];

    [Theory]
    [InlineData("refuses connections")]
    [InlineData("accepts connections and never answers")]
    public async Task Every_route_answers_within_five_seconds(string storage)
    {
        await using var silent = new SilentEndpoint();
        var endpoint = storage == "refuses connections" ? "http://127.0.0.1:9" : $"http://127.0.0.1:{silent.Port}";
        await using var app = new PeerMatchApp(new()
        {
            ["AzureWebJobsStorage"] = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};"
                + $"BlobEndpoint={endpoint}/devstoreaccount1;QueueEndpoint={endpoint}/devstoreaccount1;TableEndpoint={endpoint}/devstoreaccount1;",
        });
        using var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.Timeout = TimeSpan.FromSeconds(5);
        client.DefaultRequestHeaders.Add("x-functions-key", PeerMatchApp.OrganizerKey);
        var functions = app.Services.GetRequiredService<FunctionCatalog>().Functions.Where(f => f.Trigger == TriggerKind.Http).ToList();

        // All at once, as visitors keep coming during an outage; a well-formed (if unsigned) token gets as far as the key.
        var answers = await Task.WhenAll(functions.Select(async function =>
        {
            var clock = Stopwatch.StartNew();
            try
            {
                using var response = await client.SendAsync(RequestFor(function, token: "UmVhZHxhYmN8MQ.c2lnbmF0dXJl"));
                return (Function: function.Name, response.StatusCode, RetryAfter: response.Headers.RetryAfter, Body: await response.Content.ReadAsStringAsync());
            }
            catch (TaskCanceledException)
            {
                return (Function: function.Name, StatusCode: (HttpStatusCode)0, RetryAfter: null, Body: "");
            }
        }));

        Assert.All(answers, a =>
        {
            var status = (int)a.StatusCode;
            Assert.True(status != 0, $"{a.Function}: no answer within 5 s");
            Assert.True(status == 503 || status is >= 400 and < 500 || (status < 400 && NeedNoStorage.Contains(a.Function)), $"{a.Function}: {status}");
            Assert.True(status != 503 || a.RetryAfter is not null, $"{a.Function}: 503 without Retry-After");
        });
        Assert.Contains(answers, a => a.Function == "Intake" && a.StatusCode == HttpStatusCode.ServiceUnavailable);
        Assert.Contains(answers, a => a.Function == "Me" && a.StatusCode == HttpStatusCode.ServiceUnavailable);
        // A sign-up that storage neither took nor refused may still go through when storage answers: the 503 says so,
        // where one that storage refused says to try again.
        var signUp = answers.Single(a => a.Function == "Intake").Body;
        Assert.Contains(storage == "refuses connections" ? "cannot answer right now" : "may still go through", signUp, StringComparison.Ordinal);

        // A mangled link is refused straight away, storage or not.
        foreach (var function in functions.Where(f => f.Route!.StartsWith("me", StringComparison.Ordinal) || f.Route is "confirm" or "unsubscribe" || f.Route!.StartsWith("suggestions", StringComparison.Ordinal) || f.Route!.StartsWith("groups", StringComparison.Ordinal)))
        {
            if (NeedNoStorage.Contains(function.Name) || function.Name.StartsWith("NewLink", StringComparison.Ordinal))
            {
                continue;
            }
            var clock = Stopwatch.StartNew();
            using var response = await client.SendAsync(RequestFor(function, token: "not-a-token"));
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{function.Name}: {response.StatusCode}");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"{function.Name} took {clock.Elapsed} to refuse a mangled link");
        }
    }

    private static HttpRequestMessage RequestFor(FunctionDescriptor function, string token)
    {
        var route = function.Route!.Replace("{id}", "2026-W49-abc", StringComparison.Ordinal).Replace("{runId}", "run-1", StringComparison.Ordinal)
            .Replace("{country}", "DE", StringComparison.Ordinal).Replace("{name}", "site.css", StringComparison.Ordinal);
        var method = new HttpMethod(function.HttpMethods![0].ToUpperInvariant());
        var request = new HttpRequestMessage(method, $"/api/{route}?token={token}");
        if (method == HttpMethod.Post || method == HttpMethod.Put)
        {
            request.Content = function.Name is "Intake" or "UpdateMe" or "SaveProfile"
                ? JsonContent.Create(Intakes.Valid())
                : function.Name is "NewLink" ? JsonContent.Create(new { email = "ada@example.org" })
                : function.Name.Contains("Answer", StringComparison.Ordinal) || function.Name.Contains("FollowUp", StringComparison.Ordinal) || function.Name.Contains("Met", StringComparison.Ordinal)
                    ? new FormUrlEncodedContent([new("answer", "yes")])
                    : JsonContent.Create(new { });
        }
        return request;
    }

    /// <summary>A storage endpoint that takes connections and never says a word.</summary>
    private sealed class SilentEndpoint : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly List<TcpClient> _held = [];
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _accepting;

        public SilentEndpoint()
        {
            _listener.Start();
            _accepting = Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    try
                    {
                        var connection = await _listener.AcceptTcpClientAsync(_stop.Token);
                        lock (_held)
                        {
                            _held.Add(connection);
                        }
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                }
            });
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _accepting;
            _listener.Stop();
            lock (_held)
            {
                _held.ForEach(c => c.Dispose());
            }
            _stop.Dispose();
        }
    }
}
