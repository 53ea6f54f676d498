using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PeerMatch.Email;
using PeerMatch.Functions.Hosting;
using PeerMatch.Functions.Matching;
using PeerMatch.Tests.Infrastructure;

namespace PeerMatch.Tests.Hosting;

/// <summary>The same executable with no Functions tooling: timers on their schedules, queues drained with host.json's rules.</summary>
public sealed class StandaloneTests
{
    [Fact]
    public async Task Timers_fire_on_their_schedule_as_the_clock_passes_it()
    {
        await using var app = new PeerMatchApp(new() { ["PeerMatch:RunTimers"] = "true" });
        // Just before the top of an hour: WeeklyMatchDigest ("0 0 * * * *") is due, the daily timers are not.
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 30, 10, 59, 58, TimeSpan.Zero));
        _ = app.Server;

        // Move the clock a second at a time until a timer fires (should the loops not be waiting yet at
        // 11:00, the next top of the hour does).
        await Eventually.UntilAsync(async () =>
        {
            app.Clock.Advance(TimeSpan.FromSeconds(1));
            return (await app.RowsAsync(MatchRunTable.Name)).Count > 0;
        }, "a timer to fire", TimeSpan.FromMinutes(3), TimeSpan.FromMilliseconds(20));
        await app.DrainAsync();
        var run = Assert.Single(await app.RowsAsync(MatchRunTable.Name));
        Assert.False(run.GetBoolean("Force"));
        Assert.False(run.GetBoolean("DryRun"));
        var startedAt = run.GetDateTimeOffset("CreatedAt")!.Value;
        Assert.True(startedAt.Hour >= 11 && startedAt.Minute == 0, $"The run started at {startedAt:HH:mm:ss}, not at the top of an hour.");

        // The rest of the hour passes with no second run; the next comes at the next top of the hour, and is the second.
        app.Clock.SetUtcNow(new DateTimeOffset(startedAt.Date + TimeSpan.FromHours(startedAt.Hour), TimeSpan.Zero).AddMinutes(59).AddSeconds(59));
        var runs = await Eventually.Async(async () =>
        {
            app.Clock.Advance(TimeSpan.FromSeconds(1));
            return await app.RowsAsync(MatchRunTable.Name);
        }, found => found.Count > 1, "the next hour's run", TimeSpan.FromMinutes(1), TimeSpan.FromMilliseconds(20));
        var next = Assert.Single(runs, r => r.RowKey != run.RowKey).GetDateTimeOffset("CreatedAt")!.Value;
        Assert.Equal((startedAt.Hour + 1) % 24, next.Hour);
        Assert.Equal(0, next.Minute);
    }

    [Fact]
    public async Task A_timer_schedule_comes_from_its_setting_when_set()
    {
        await using var app = new PeerMatchApp(new() { ["WeeklyMatchDigestSchedule"] = "0 */5 * * * *" });
        var catalog = app.Services.GetRequiredService<FunctionCatalog>();
        var configuration = app.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>();

        var weekly = StandaloneTriggers.Schedule(catalog.Get("WeeklyMatchDigest"), configuration);
        var retrain = StandaloneTriggers.Schedule(catalog.Get("RetrainMatchModel"), configuration);

        var from = new DateTime(2026, 11, 30, 10, 1, 0, DateTimeKind.Utc);
        Assert.Equal(from.AddMinutes(4), weekly.GetNextOccurrence(from));
        Assert.Equal(new DateTime(2026, 12, 1, 2, 30, 0, DateTimeKind.Utc), retrain.GetNextOccurrence(from));
    }

    [Fact]
    public async Task A_failed_send_is_retried_and_sent_once()
    {
        var sender = new FlakySender(failures: 2);
        await using var app = new PeerMatchApp(services: s => s.Replace(ServiceDescriptor.Singleton<IEmailSender>(sender)));
        using var client = app.CreateClient();

        await Intakes.PostAsync(client, Intakes.Valid());

        await sender.Delivered.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await app.DrainAsync();
        Assert.Equal(3, sender.Attempts);
        Assert.Single(sender.Sent);
        Assert.Equal("sent", Assert.Single(await app.RowsAsync("Deliveries")).GetString("State"));
    }

    [Fact]
    public async Task A_send_that_keeps_failing_ends_in_the_poison_queue_after_host_json_s_max_dequeue_count()
    {
        var sender = new FlakySender(failures: int.MaxValue);
        await using var app = new PeerMatchApp(
            new() { ["PeerMatch:QueueRetryDelay"] = "00:00:00.050" },
            s => s.Replace(ServiceDescriptor.Singleton<IEmailSender>(sender)));
        using var client = app.CreateClient();

        await Intakes.PostAsync(client, Intakes.Valid());
        await app.DrainAsync();

        var kept = Assert.Single((await app.Queue("email-poison").PeekMessagesAsync()).Value);
        Assert.Contains("\"confirmation\"", kept.Body.ToString(), StringComparison.Ordinal);
        Assert.Equal(app.Services.GetRequiredService<HostJson>().MaxDequeueCount, sender.Attempts);
        Assert.Equal(5, sender.Attempts);
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

        using var response = await client.GetAsync("/api/health");

        Assert.Equal("{\"status\":\"ok\"}", await response.Content.ReadAsStringAsync());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
    }

    [Fact]
    public async Task A_function_that_throws_answers_a_problem_with_the_security_headers()
    {
        await using var app = new PeerMatchApp(services: s => s.Replace(ServiceDescriptor.Singleton<PeerMatch.Practitioners.IPractitionerRepository>(new BrokenRepository())));
        using var client = app.CreateClient();

        using var response = await Intakes.PostAsync(client, Intakes.Valid());

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.DoesNotContain("storage is down", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Telemetry_goes_to_azure_monitor_only_when_a_connection_string_is_set()
    {
        await using var plain = new PeerMatchApp();
        await using var monitored = new PeerMatchApp(new()
        {
            ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:9/",
        });

        Assert.Null(plain.Services.GetService<OpenTelemetry.Trace.TracerProvider>());
        Assert.NotNull(monitored.Services.GetService<OpenTelemetry.Trace.TracerProvider>());
        Assert.NotNull(monitored.Services.GetService<OpenTelemetry.Metrics.MeterProvider>());
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

    private sealed class BrokenRepository : PeerMatch.Practitioners.IPractitionerRepository
    {
        private static InvalidOperationException Down() => new("storage is down");

        public Task<PeerMatch.Practitioners.Practitioner?> GetAsync(string id, CancellationToken cancellationToken) => throw Down();

        public Task<PeerMatch.Practitioners.Practitioner?> FindByEmailAsync(string email, CancellationToken cancellationToken) => throw Down();

        public Task<IReadOnlySet<string>> KnownEmailKeysAsync(IReadOnlyCollection<string> emailKeys, CancellationToken cancellationToken) => throw Down();

        public Task<bool> TryCreateAsync(PeerMatch.Practitioners.Practitioner practitioner, CancellationToken cancellationToken) => throw Down();

        public Task UpdateAsync(PeerMatch.Practitioners.Practitioner practitioner, CancellationToken cancellationToken) => throw Down();

        public Task EraseAsync(PeerMatch.Practitioners.Practitioner practitioner, CancellationToken cancellationToken) => throw Down();

        public Task<bool> TryClaimLinkAsync(string practitionerId, DateTimeOffset now, TimeSpan interval, CancellationToken cancellationToken) => throw Down();

        public Task ReleaseLinkAsync(string practitionerId, DateTimeOffset claimedAt, CancellationToken cancellationToken) => throw Down();

        public Task AddSubmissionAsync(string practitionerId, string submissionId, PeerMatch.Practitioners.Profile profile, CancellationToken cancellationToken) => throw Down();

        public Task<PeerMatch.Practitioners.Profile?> GetSubmissionAsync(string practitionerId, string submissionId, CancellationToken cancellationToken) => throw Down();

        public Task<IReadOnlyList<PeerMatch.Practitioners.Profile>> ListSubmissionsAsync(string practitionerId, CancellationToken cancellationToken) => throw Down();

        public IAsyncEnumerable<PeerMatch.Practitioners.Practitioner> ListAllAsync(CancellationToken cancellationToken) => throw Down();

        public IAsyncEnumerable<PeerMatch.Practitioners.Practitioner> ListChangedSinceAsync(DateTimeOffset since, CancellationToken cancellationToken) => throw Down();

        public IAsyncEnumerable<PeerMatch.Practitioners.Practitioner> ListUnconfirmedAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) => throw Down();

        public Task MarkErasingAsync(string practitionerId, DateTimeOffset since, CancellationToken cancellationToken) => throw Down();

        public IAsyncEnumerable<PeerMatch.Practitioners.Practitioner> ListErasingAsync(DateTimeOffset startedBefore, CancellationToken cancellationToken) => throw Down();
    }
}
