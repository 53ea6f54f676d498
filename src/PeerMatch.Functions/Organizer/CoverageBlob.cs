using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues.Models;
using Microsoft.Azure.Functions.Worker;
using PeerMatch.Functions.Matching;
using PeerMatch.Functions.Storage;
using PeerMatch.Matching;

namespace PeerMatch.Functions.Organizer;

/// <summary>
/// The last coverage count, in the blob <c>coverage/latest.json</c> (counts and reasons by country and model: it names
/// nobody); a count asked of the worker waits on the <c>coverage</c> queue, and <c>coverage/asked</c> marks one asked
/// and not yet done, so that organizers asking at once queue one count.
/// </summary>
public sealed class CoverageBlob(StorageAccount storage, TimeProvider clock) : ICoverageStore
{
    public const string QueueName = "coverage";
    private const string Container = "coverage";
    private const string Latest = "latest.json";
    private const string Asked = "asked";

    /// <summary>A count asked this long ago and not done has stopped: the next request asks again.</summary>
    private static readonly TimeSpan CountLease = TimeSpan.FromMinutes(15);

    /// <summary>Keeps the report unless a later count is kept already (a slow worker finishing after a quick request).</summary>
    public async Task SaveAsync(CoverageReport report, CancellationToken cancellationToken)
    {
        var container = await storage.ContainerAsync(Container, cancellationToken);
        var blob = container.GetBlobClient(Latest);
        var content = BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(report, MatchingJson.Default.CoverageReport));
        while (true)
        {
            BlobRequestConditions unchanged;
            try
            {
                var kept = (await blob.DownloadContentAsync(cancellationToken)).Value;
                if (JsonSerializer.Deserialize(kept.Content.ToMemory().Span, MatchingJson.Default.CoverageReport) is { } earlier && earlier.CountedAt > report.CountedAt)
                {
                    return;
                }
                unchanged = new() { IfMatch = kept.Details.ETag };
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                unchanged = new() { IfNoneMatch = ETag.All };
            }
            try
            {
                await blob.UploadAsync(content, new BlobUploadOptions { Conditions = unchanged }, cancellationToken);
                return;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                // Another count was kept meanwhile: compare again.
            }
        }
    }

    public async Task<CoverageReport?> LatestAsync(CancellationToken cancellationToken)
    {
        var container = await storage.ContainerAsync(Container, cancellationToken);
        try
        {
            var content = (await container.GetBlobClient(Latest).DownloadContentAsync(cancellationToken)).Value.Content;
            return JsonSerializer.Deserialize(content.ToMemory().Span, MatchingJson.Default.CoverageReport);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public async Task RequestCountAsync(CancellationToken cancellationToken)
    {
        var container = await storage.ContainerAsync(Container, cancellationToken);
        var marker = container.GetBlobClient(Asked);
        var now = clock.GetUtcNow();
        try
        {
            // Only the first of several at once gets to write the marker, and so to queue the count.
            await marker.UploadAsync(BinaryData.FromString(now.ToString("O", CultureInfo.InvariantCulture)), new BlobUploadOptions { Conditions = new() { IfNoneMatch = ETag.All } }, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // Asked already: ask again only if that count has stopped (its worker died before it was done).
            try
            {
                var asked = (await marker.DownloadContentAsync(cancellationToken)).Value;
                if (DateTimeOffset.TryParse(asked.Content.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var since) && now - since < CountLease)
                {
                    return;
                }
                await marker.UploadAsync(BinaryData.FromString(now.ToString("O", CultureInfo.InvariantCulture)), new BlobUploadOptions { Conditions = new() { IfMatch = asked.Details.ETag } }, cancellationToken);
            }
            catch (RequestFailedException raced) when (raced.Status is 404 or 412)
            {
                return; // done meanwhile, or asked again by another request
            }
        }
        var queue = await storage.QueueAsync(QueueName, cancellationToken);
        await queue.SendMessageAsync("count", cancellationToken);
    }

    public async Task CountDoneAsync(CancellationToken cancellationToken)
    {
        var container = await storage.ContainerAsync(Container, cancellationToken);
        await container.DeleteBlobIfExistsAsync(Asked, cancellationToken: cancellationToken);
    }
}

/// <summary>Queue-triggered (<c>coverage</c>): counts coverage when a request could not wait for it, and keeps the count.</summary>
public sealed class CountCoverageFunction(Coverage coverage)
{
    [Function("CountCoverage")]
    public Task RunAsync([QueueTrigger(CoverageBlob.QueueName)] QueueMessage message, CancellationToken cancellationToken) =>
        coverage.CountAsync(cancellationToken);
}
