using System.Net;
using Cronos;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PeerMatch.Email;
using PeerMatch.Functions.Hosting;
using PeerMatch.Tests.Infrastructure;

namespace PeerMatch.Tests.Hosting;

/// <summary>The same executable with no Functions tooling: triggers from function.json, queues drained in-process.</summary>
public sealed class StandaloneTests
{
    [Fact]
    public void The_build_output_is_a_functions_app_whose_files_describe_every_function()
    {
        var root = AppContext.BaseDirectory;
        Assert.True(File.Exists(Path.Combine(root, "host.json")));
        var catalog = FunctionCatalog.Load(root);

        var timer = Assert.Single(catalog.Functions, f => f.Name == "PurgeUnconfirmedIntakes");
        Assert.Equal(TriggerKind.Timer, timer.Trigger);
        Assert.NotNull(CronExpression.Parse(timer.Schedule!, CronFormat.IncludeSeconds).GetNextOccurrence(DateTime.UtcNow));
        Assert.Equal("email", Assert.Single(catalog.Functions, f => f.Name == "SendEmail").QueueName);
    }

    [Fact]
    public async Task Every_http_function_json_has_a_route_and_every_api_route_has_a_function_json()
    {
        await using var app = new PeerMatchApp();
        _ = app.Server;
        var catalog = app.Services.GetRequiredService<FunctionCatalog>();
        var served = app.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Select(e => e.RoutePattern.RawText!.TrimStart('/'))
            .Where(r => r.StartsWith("api/", StringComparison.Ordinal))
            .Select(r => r["api/".Length..])
            .ToHashSet();
        var declared = catalog.Functions.Where(f => f.Trigger == TriggerKind.Http).Select(f => f.Route!).ToHashSet();

        Assert.Equal(served.Order(), declared.Order());
    }

    [Fact]
    public async Task Timers_fire_on_the_schedule_in_their_function_json()
    {
        await using var app = new PeerMatchApp(new() { ["PeerMatch:RunTimers"] = "true" });
        // Just before the top of an hour: WeeklyMatchDigest ("0 0 * * * *") is due, the daily timers are not.
        app.Clock.Set(new DateTimeOffset(2026, 11, 30, 10, 59, 58, 500, TimeSpan.Zero));
        _ = app.Server;

        var runs = new List<Azure.Data.Tables.TableEntity>();
        for (var i = 0; i < 100 && runs.Count == 0; i++)
        {
            await Task.Delay(100);
            runs = await app.RowsAsync(PeerMatch.Functions.Matching.MatchRunTable.Name);
        }

        var run = Assert.Single(runs);
        Assert.False(run.GetBoolean("Force"));
        Assert.False(run.GetBoolean("DryRun"));
    }

    [Fact]
    public async Task A_failed_send_is_retried_with_back_off_and_sent_once()
    {
        var sender = new FlakySender(failures: 2);
        await using var app = new PeerMatchApp(services: s => s.Replace(ServiceDescriptor.Singleton<IEmailSender>(sender)));
        using var client = app.CreateClient();

        await Intakes.PostAsync(client, Intakes.Valid());

        await sender.Delivered.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(3, sender.Attempts);
        await Task.Delay(500);
        Assert.Single(sender.Sent);
        Assert.Single(await app.RowsAsync("Deliveries"));
    }

    [Fact]
    public async Task A_send_that_keeps_failing_ends_in_the_poison_queue_not_in_silence()
    {
        var sender = new FlakySender(failures: int.MaxValue);
        await using var app = new PeerMatchApp(
            new() { ["PeerMatch:QueueRetryDelay"] = "00:00:00.050" },
            s => s.Replace(ServiceDescriptor.Singleton<IEmailSender>(sender)));
        using var client = app.CreateClient();

        await Intakes.PostAsync(client, Intakes.Valid());

        var poison = app.Queue("email-poison");
        for (var i = 0; i < 200 && !(await poison.ExistsAsync() && (await poison.PeekMessagesAsync()).Value.Length > 0); i++)
        {
            await Task.Delay(100);
        }
        var kept = Assert.Single((await poison.PeekMessagesAsync()).Value);
        Assert.Contains("\"confirmation\"", kept.Body.ToString(), StringComparison.Ordinal);
        Assert.Equal(StandaloneTriggers.MaxDequeueCount, sender.Attempts);
        Assert.DoesNotContain(await app.RowsAsync("Deliveries"), d => d.GetString("State") == "sent");
    }

    [Fact]
    public async Task Health_reports_503_when_storage_does_not_answer()
    {
        await using var app = new PeerMatchApp(new()
        {
            ["AzureWebJobsStorage"] = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:9/devstoreaccount1;QueueEndpoint=http://127.0.0.1:9/devstoreaccount1;TableEndpoint=http://127.0.0.1:9/devstoreaccount1;",
        });
        using var client = app.CreateClient();

        using var response = await client.GetAsync("/api/health");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }

    [Fact]
    public async Task Health_reports_ok_when_storage_answers()
    {
        await using var app = new PeerMatchApp();
        using var client = app.CreateClient();

        Assert.Equal("{\"status\":\"ok\"}", await client.GetStringAsync("/api/health"));
    }

    private sealed class FlakySender(int failures) : IEmailSender
    {
        private int _attempts;

        public int Attempts => _attempts;

        public List<EmailMessage> Sent { get; } = [];

        public TaskCompletionSource Delivered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _attempts) <= failures)
            {
                throw new HttpRequestException("SendGrid is having a bad day.");
            }
            lock (Sent)
            {
                Sent.Add(message);
            }
            Delivered.TrySetResult();
            return Task.CompletedTask;
        }
    }
}
