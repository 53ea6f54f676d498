using Azure.Storage.Queues.Models;
using Microsoft.Azure.Functions.Worker;
using PeerMatch.Functions.Storage;
using PeerMatch.Matching.Organizer;

namespace PeerMatch.Functions.Organizer;

/// <summary>
/// The last coverage count, in the blob <c>coverage/latest.json</c> (counts and reasons by country and model: it names
/// nobody); a count asked of the worker waits on the <c>coverage</c> queue, and <c>coverage/asked.json</c> marks one asked
/// and not yet done, so that organizers asking at once queue one count.
/// </summary>
public sealed class CoverageBlob(StorageAccount storage, TimeProvider clock) : ICoverageStore
{
    public const string QueueName = "coverage";
    private const string Container = "coverage";
    private const string Latest = "latest.json";
    private const string Asked = "asked.json";

    /// <summary>A count asked this long ago and not done has stopped: the next request asks again.</summary>
    private static readonly TimeSpan CountLease = TimeSpan.FromMinutes(15);

    /// <summary>Keeps the report unless a later count is kept already (a slow worker finishing after a quick request).</summary>
    public async Task SaveAsync(CoverageReport report, CancellationToken cancellationToken) =>
        await (await BlobAsync(Latest, cancellationToken)).ChangeAsync(OrganizerJson.Default.CoverageReport,
            earlier => earlier is not null && earlier.CountedAt > report.CountedAt ? null : report, cancellationToken);

    public async Task<CoverageReport?> LatestAsync(CancellationToken cancellationToken) =>
        await (await BlobAsync(Latest, cancellationToken)).ReadAsync(OrganizerJson.Default.CoverageReport, cancellationToken);

    public async Task RequestCountAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        // Only the first of several at once gets to mark the count asked, and so to queue it; a mark older than the
        // lease is of a count that stopped (its worker died before it was done), and is taken over.
        var marked = await (await BlobAsync(Asked, cancellationToken)).ChangeAsync(OrganizerJson.Default.CountAsked,
            asked => asked is not null && now - asked.Since < CountLease ? null : new CountAsked(now), cancellationToken);
        if (marked)
        {
            var queue = await storage.QueueAsync(QueueName, cancellationToken);
            await queue.SendMessageAsync("count", cancellationToken);
        }
    }

    public async Task CountDoneAsync(CancellationToken cancellationToken) =>
        await (await BlobAsync(Asked, cancellationToken)).DeleteIfExistsAsync(cancellationToken: cancellationToken);

    private async Task<Azure.Storage.Blobs.BlobClient> BlobAsync(string name, CancellationToken cancellationToken) =>
        (await storage.ContainerAsync(Container, cancellationToken)).GetBlobClient(name);
}

/// <summary>A coverage count asked of the worker, since when.</summary>
public sealed record CountAsked(DateTimeOffset Since);

[System.Text.Json.Serialization.JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
[System.Text.Json.Serialization.JsonSerializable(typeof(CoverageReport))]
[System.Text.Json.Serialization.JsonSerializable(typeof(CountAsked))]
internal sealed partial class OrganizerJson : System.Text.Json.Serialization.JsonSerializerContext;

/// <summary>Queue-triggered (<c>coverage</c>): counts coverage when a request could not wait for it, and keeps the count.</summary>
public sealed class CountCoverageFunction(Coverage coverage)
{
    [Function("CountCoverage")]
    public Task RunAsync([QueueTrigger(CoverageBlob.QueueName)] QueueMessage message, CancellationToken cancellationToken) =>
        coverage.CountAsync(cancellationToken);
}
