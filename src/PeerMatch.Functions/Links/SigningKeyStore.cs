using System.Security.Cryptography;
using Azure;
using Azure.Storage.Blobs.Models;
using PeerMatch.Functions.Storage;

namespace PeerMatch.Functions.Links;

/// <summary>
/// The key that signs links. Made on first use and kept in Blob Storage, so every instance signs
/// alike and no secret has to be configured by hand.
/// </summary>
public sealed class SigningKeyStore(StorageAccount storage)
{
    private const string Container = "secrets";
    private const string BlobName = "link-signing-key";
    private Task<byte[]>? _key;

    public async ValueTask<byte[]> GetAsync(CancellationToken cancellationToken)
    {
        var key = _key;
        if (key is null || key.IsFaulted || key.IsCanceled)
        {
            // Two callers racing here both load the same stored key; a failed load is tried again next time.
            key = LoadOrCreateAsync(CancellationToken.None);
            _key = key;
        }
        return await key.WaitAsync(cancellationToken);
    }

    private async Task<byte[]> LoadOrCreateAsync(CancellationToken cancellationToken)
    {
        var container = await storage.ContainerAsync(Container, cancellationToken);
        var blob = container.GetBlobClient(BlobName);
        try
        {
            // If-None-Match: * — when two instances start together, exactly one key wins and both read it back.
            var fresh = RandomNumberGenerator.GetBytes(32);
            await blob.UploadAsync(BinaryData.FromBytes(fresh), new BlobUploadOptions { Conditions = new() { IfNoneMatch = ETag.All } }, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // Already there: read it below.
        }
        var stored = await blob.DownloadContentAsync(cancellationToken);
        return stored.Value.Content.ToArray();
    }
}
