using Azure;
using Azure.Storage.Blobs.Models;
using PeerMatch.Functions.Storage;
using PeerMatch.Matching;

namespace PeerMatch.Functions.Matching;

/// <summary>
/// Ranker versions in Blob Storage (<c>models/ranker-{version}.zip</c>) and a pointer to the current
/// one (<c>models/current</c>). The loaded model is cached and shared; a new version is loaded once.
/// Until a ranker has been promoted, the prior scores.
/// </summary>
public sealed class ModelStore(StorageAccount storage, TimeProvider clock, ILogger<ModelStore> log) : IRankerStore, IDisposable
{
    private const string Container = "models";
    private const string Pointer = "current";
    private readonly SemaphoreSlim _gate = new(1, 1);
    private LearnedRanker? _loaded;
    private string? _outdated;

    public async Task<IPairScorer> CurrentAsync(CancellationToken cancellationToken)
    {
        var container = await storage.ContainerAsync(Container, cancellationToken);
        var pointer = container.GetBlobClient(Pointer);
        string version;
        try
        {
            version = (await pointer.DownloadContentAsync(cancellationToken)).Value.Content.ToString();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return PriorScorer.Instance;
        }
        if (_loaded?.Version == version)
        {
            return _loaded;
        }
        if (_outdated == version)
        {
            return PriorScorer.Instance;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_loaded?.Version != version && _outdated != version)
            {
                var zip = await container.GetBlobClient($"ranker-{version}.zip").DownloadContentAsync(cancellationToken);
                using var stream = zip.Value.Content.ToStream();
                if (LearnedRanker.Load(stream, version) is { } ranker)
                {
                    _loaded = ranker;
                }
                else
                {
                    // Stored by an older engine (other pair features, or a classifier without the calibrated prior): the
                    // prior serves until retraining promotes a ranker of today's.
                    _outdated = version;
                    log.LogWarning("Ranker {Version} was stored by an older engine; the prior serves until a new ranker is promoted", version);
                }
            }
            return _loaded?.Version == version ? _loaded : PriorScorer.Instance;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    /// <summary>Stores a ranker under a new version and makes it current.</summary>
    public async Task PromoteAsync(LearnedRanker ranker, CancellationToken cancellationToken)
    {
        var container = await storage.ContainerAsync(Container, cancellationToken);
        using var zip = new MemoryStream();
        ranker.Save(zip);
        zip.Position = 0;
        await container.GetBlobClient($"ranker-{ranker.Version}.zip").UploadAsync(zip, overwrite: true, cancellationToken);
        await container.GetBlobClient(Pointer).UploadAsync(BinaryData.FromString(ranker.Version), overwrite: true, cancellationToken);
        await container.GetBlobClient(Pointer).SetMetadataAsync(new Dictionary<string, string> { ["promotedAt"] = clock.GetUtcNow().ToString("O") }, cancellationToken: cancellationToken);
    }

    public async Task<List<string>> VersionsAsync(CancellationToken cancellationToken)
    {
        var container = await storage.ContainerAsync(Container, cancellationToken);
        var versions = new List<string>();
        await foreach (var blob in container.GetBlobsAsync(new GetBlobsOptions { Prefix = "ranker-" }, cancellationToken))
        {
            versions.Add(blob.Name["ranker-".Length..^".zip".Length]);
        }
        return versions;
    }
}
