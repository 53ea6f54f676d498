using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace PeerMatch.Functions.Storage;

/// <summary>JSON documents kept in blobs: read (null when there is none), written, and changed without losing a concurrent change.</summary>
public static class BlobJson
{
    public static async Task<T?> ReadAsync<T>(this BlobClient blob, JsonTypeInfo<T> type, CancellationToken cancellationToken) where T : class =>
        (await ReadTaggedAsync(blob, type, cancellationToken)).Value;

    public static async Task WriteAsync<T>(this BlobClient blob, T value, JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        await blob.UploadAsync(BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(value, type)), overwrite: true, cancellationToken);

    /// <summary>
    /// Writes what <paramref name="change"/> makes of the document (null when there is none), only if nobody wrote or
    /// deleted it since it was read; if somebody did, changes what they left. <paramref name="change"/> returns null to
    /// leave it as it is. True when written.
    /// </summary>
    public static async Task<bool> ChangeAsync<T>(this BlobClient blob, JsonTypeInfo<T> type, Func<T?, T?> change, CancellationToken cancellationToken)
        where T : class
    {
        while (true)
        {
            var (current, tag) = await ReadTaggedAsync(blob, type, cancellationToken);
            if (change(current) is not { } next)
            {
                return false;
            }
            var unchanged = tag is { } read ? new BlobRequestConditions { IfMatch = read } : new BlobRequestConditions { IfNoneMatch = ETag.All };
            try
            {
                await blob.UploadAsync(BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(next, type)), new BlobUploadOptions { Conditions = unchanged }, cancellationToken);
                return true;
            }
            catch (RequestFailedException e) when (e.Status is 404 or 409 or 412)
            {
                // Written or deleted meanwhile: change what is there now.
            }
        }
    }

    private static async Task<(T? Value, ETag? Tag)> ReadTaggedAsync<T>(BlobClient blob, JsonTypeInfo<T> type, CancellationToken cancellationToken) where T : class
    {
        try
        {
            var read = (await blob.DownloadContentAsync(cancellationToken)).Value;
            return (JsonSerializer.Deserialize(read.Content.ToMemory().Span, type), read.Details.ETag);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return (null, null);
        }
    }
}
