using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using PeerMatch.Functions.Hosting;

namespace PeerMatch.Tests.Infrastructure;

/// <summary>
/// The whole app in-process and standalone, on the shared Azurite (PEERMATCH_TEST_STORAGE) under a
/// table prefix of its own, with its own outbox folder and a clock the test moves.
/// </summary>
public sealed class PeerMatchApp : WebApplicationFactory<Program>
{
    public const string OrganizerKey = "test-organizer-key-0123456789";
    public const string PublicBaseUrl = "https://peermatch.test";

    /// <summary>Where every app's clock starts: Monday 2 November 2026, 09:00 UTC. Tests move it forward.</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);


    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;

    public PeerMatchApp(Dictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        Prefix = "t" + Guid.NewGuid().ToString("N")[..12];
        OutboxPath = Path.Combine(Path.GetTempPath(), "peermatch-outbox-" + Prefix);
        _settings = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = StorageConnection,
            ["PeerMatch:TablePrefix"] = Prefix,
            ["PeerMatch:OrganizerKey"] = OrganizerKey,
            ["PeerMatch:PublicBaseUrl"] = PublicBaseUrl,
            ["PeerMatch:QueuePollInterval"] = "00:00:00.050",
            ["PeerMatch:QueueRetryDelay"] = "00:00:00.200",
            // Tests own the clock: no wall-clock timer fires behind their back.
            ["PeerMatch:RunTimers"] = "false",
            // Every test request comes from one client; the limit has its own test.
            ["PeerMatch:IntakePerMinute"] = "10000",
            ["PeerMatch:WrongOrganizerKeysPer10Minutes"] = "10000",
            ["Email:OutboxPath"] = OutboxPath,
        };
        foreach (var (key, value) in settings ?? [])
        {
            _settings[key] = value;
        }
        _services = services;
        Outbox = new Outbox(OutboxPath);
    }

    /// <summary>Azurite as the test command started it; the emulator's default ports otherwise.</summary>
    public static string StorageConnection =>
        Environment.GetEnvironmentVariable("PEERMATCH_TEST_STORAGE") is { Length: > 0 } connection ? connection : "UseDevelopmentStorage=true";

    public string Prefix { get; }

    public string OutboxPath { get; }

    public Outbox Outbox { get; }

    /// <summary>The app's clock: it stands still unless the test moves it (timers fire when it passes their time).</summary>
    public FakeTimeProvider Clock { get; } = new(Start);

    public TableClient Table(string name) => new TableServiceClient(StorageConnection).GetTableClient(Prefix + name);

    public QueueClient Queue(string name) =>
        new QueueServiceClient(StorageConnection, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 }).GetQueueClient(Prefix + name);

    /// <summary>
    /// Waits until every queue of this app is empty: all work that was queued (and all it queued in
    /// turn) is done. A message being worked on, or waiting to be retried, still counts as queued.
    /// </summary>
    public async Task DrainAsync(TimeSpan? timeout = null)
    {
        var queues = Services.GetRequiredService<FunctionCatalog>().Functions.Where(f => f.QueueName is not null).Select(f => f.QueueName!).ToList();
        // Empty twice in a row: a message being worked on may queue another just as the first look finds none.
        var emptyInARow = 0;
        await Eventually.UntilAsync(async () =>
        {
            var empty = true;
            foreach (var name in queues)
            {
                var queue = Queue(name);
                empty &= !await queue.ExistsAsync() || (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0;
            }
            emptyInARow = empty ? emptyInARow + 1 : 0;
            return emptyInARow >= 2;
        }, "the app's queues to drain", timeout ?? TimeSpan.FromSeconds(30));
    }

    /// <summary>The names of this app's tables, without its prefix.</summary>
    public async IAsyncEnumerable<string> TableNamesAsync()
    {
        var tables = new TableServiceClient(StorageConnection);
        await foreach (var table in tables.QueryAsync(t => t.Name.CompareTo(Prefix) >= 0 && t.Name.CompareTo(Prefix + "~") < 0))
        {
            yield return table.Name[Prefix.Length..];
        }
    }

    /// <summary>Every row of a table of this app (none when the table was never created).</summary>
    public async Task<List<TableEntity>> RowsAsync(string table)
    {
        try
        {
            var rows = new List<TableEntity>();
            await foreach (var row in Table(table).QueryAsync<TableEntity>())
            {
                rows.Add(row);
            }
            return rows;
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            return [];
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
            _services?.Invoke(services);
        });
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        var tables = new TableServiceClient(StorageConnection);
        await foreach (var name in TableNamesAsync())
        {
            await tables.DeleteTableAsync(Prefix + name);
        }
        // PEERMATCH_KEEP_OUTBOX=1 keeps the e-mails a test wrote, to open and look at.
        if (Directory.Exists(OutboxPath) && Environment.GetEnvironmentVariable("PEERMATCH_KEEP_OUTBOX") != "1")
        {
            Directory.Delete(OutboxPath, recursive: true);
        }
    }
}
