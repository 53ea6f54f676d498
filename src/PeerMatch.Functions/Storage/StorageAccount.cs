using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Options;
using PeerMatch.Functions.Settings;

namespace PeerMatch.Functions.Storage;

/// <summary>
/// The one storage account behind <c>AzureWebJobsStorage</c>: a connection string (Azurite locally),
/// or, in Azure, service URIs with a managed identity (<c>AzureWebJobsStorage__tableServiceUri</c> …),
/// the same settings the Functions host reads.
/// </summary>
public sealed class StorageAccount
{
    public const string ConnectionSetting = "AzureWebJobsStorage";

    private readonly Dictionary<string, Task> _created = new(StringComparer.Ordinal);
    private readonly Lock _createdLock = new();

    public StorageAccount(IConfiguration configuration, IOptions<PeerMatchOptions> options)
    {
        Prefix = options.Value.TablePrefix;
        var tableOptions = WithShortRetries(new TableClientOptions());
        var queueOptions = WithShortRetries(new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        var blobOptions = WithShortRetries(new BlobClientOptions());
        var connection = configuration[ConnectionSetting];
        if (!string.IsNullOrWhiteSpace(connection))
        {
            Tables = new TableServiceClient(connection, tableOptions);
            Queues = new QueueServiceClient(connection, queueOptions);
            Blobs = new BlobServiceClient(connection, blobOptions);
            return;
        }

        var section = configuration.GetSection(ConnectionSetting);
        var tableUri = section["tableServiceUri"];
        var queueUri = section["queueServiceUri"];
        var blobUri = section["blobServiceUri"];
        if (tableUri is null || queueUri is null || blobUri is null)
        {
            // Nothing configured at all: the local default, Azurite on its standard ports.
            Tables = new TableServiceClient("UseDevelopmentStorage=true", tableOptions);
            Queues = new QueueServiceClient("UseDevelopmentStorage=true", queueOptions);
            Blobs = new BlobServiceClient("UseDevelopmentStorage=true", blobOptions);
            return;
        }

        TokenCredential credential = section["clientId"] is { Length: > 0 } clientId
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new DefaultAzureCredential();
        Tables = new TableServiceClient(new Uri(tableUri), credential, tableOptions);
        Queues = new QueueServiceClient(new Uri(queueUri), credential, queueOptions);
        Blobs = new BlobServiceClient(new Uri(blobUri), credential, blobOptions);
    }

    /// <summary>
    /// Storage answers in milliseconds when it is up. A few quick retries ride out a hiccup; an outage fails in
    /// seconds rather than minutes (the queues retry the background work later, and pages say "try again").
    /// </summary>
    private static T WithShortRetries<T>(T options) where T : Azure.Core.ClientOptions
    {
        options.Retry.MaxRetries = 2;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(1);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(3);
        return options;
    }

    public string Prefix { get; }

    public TableServiceClient Tables { get; }

    public QueueServiceClient Queues { get; }

    public BlobServiceClient Blobs { get; }

    public async Task<TableClient> TableAsync(string name, CancellationToken cancellationToken)
    {
        var table = Tables.GetTableClient(Prefix + name);
        await OnceAsync("table:" + table.Name, ct => table.CreateIfNotExistsAsync(ct), cancellationToken);
        return table;
    }

    public async Task<QueueClient> QueueAsync(string name, CancellationToken cancellationToken)
    {
        var queue = Queues.GetQueueClient(Prefix + name);
        await OnceAsync("queue:" + queue.Name, ct => queue.CreateIfNotExistsAsync(cancellationToken: ct), cancellationToken);
        return queue;
    }

    public async Task<BlobContainerClient> ContainerAsync(string name, CancellationToken cancellationToken)
    {
        var container = Blobs.GetBlobContainerClient(Prefix + name);
        await OnceAsync("container:" + container.Name, ct => container.CreateIfNotExistsAsync(cancellationToken: ct), cancellationToken);
        return container;
    }

    /// <summary>
    /// Creates each table, queue or container once per process; a failed attempt is tried again next time.
    /// The creation is shared, so no one caller's cancellation (a request given up) cancels it for the others.
    /// </summary>
    private Task OnceAsync(string key, Func<CancellationToken, Task> create, CancellationToken cancellationToken)
    {
        Task task;
        lock (_createdLock)
        {
            if (!_created.TryGetValue(key, out task!) || task.IsFaulted || task.IsCanceled)
            {
                task = create(CancellationToken.None);
                _created[key] = task;
            }
        }
        return task.WaitAsync(cancellationToken);
    }
}
