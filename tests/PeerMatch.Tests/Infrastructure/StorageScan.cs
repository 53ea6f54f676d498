using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace PeerMatch.Tests.Infrastructure;

/// <summary>Reads all of an app's storage (every table row, blob and waiting queue message) looking for what names someone.</summary>
public static class StorageScan
{
    /// <summary>Where something was found: a table (with the row) or a blob container or queue (no row).</summary>
    public sealed record Found(string Store, TableEntity? Row)
    {
        public override string ToString() => Row is null ? Store : $"{Store}/{Row.PartitionKey}/{Row.RowKey}";
    }

    /// <summary>Every place in the app's storage that holds any of <paramref name="needles"/> (case-insensitively) in a key or value.</summary>
    public static async Task<List<Found>> NamingAsync(PeerMatchApp app, params string[] needles)
    {
        bool Names(string? text) => text is not null && needles.Any(n => text.Contains(n, StringComparison.OrdinalIgnoreCase));
        var found = new List<Found>();

        await foreach (var name in app.TableNamesAsync())
        {
            foreach (var row in await app.RowsAsync(name))
            {
                if (Names(row.PartitionKey) || Names(row.RowKey) || ((IDictionary<string, object>)row).Values.Any(v => Names(v?.ToString())))
                {
                    found.Add(new Found(name, row));
                }
            }
        }

        var blobs = new BlobServiceClient(PeerMatchApp.StorageConnection);
        await foreach (var container in blobs.GetBlobContainersAsync(prefix: app.Prefix))
        {
            var client = blobs.GetBlobContainerClient(container.Name);
            await foreach (var blob in client.GetBlobsAsync())
            {
                var content = (await client.GetBlobClient(blob.Name).DownloadContentAsync()).Value.Content.ToString();
                if (Names(blob.Name) || Names(content))
                {
                    found.Add(new Found($"{container.Name[app.Prefix.Length..]}/{blob.Name}", null));
                }
            }
        }

        var queues = new QueueServiceClient(PeerMatchApp.StorageConnection);
        await foreach (var queue in queues.GetQueuesAsync(prefix: app.Prefix))
        {
            var messages = await queues.GetQueueClient(queue.Name).PeekMessagesAsync(32);
            if (messages.Value.Any(m => Names(m.Body.ToString()) || Names(Base64Decoded(m.Body.ToString()))))
            {
                found.Add(new Found(queue.Name[app.Prefix.Length..], null));
            }
        }
        return found;
    }

    /// <summary>Every table row and blob of the app, with its ETag: equal snapshots mean nothing was written between them.</summary>
    public static async Task<List<string>> SnapshotAsync(PeerMatchApp app)
    {
        var items = new List<string>();
        await foreach (var name in app.TableNamesAsync())
        {
            items.AddRange((await app.RowsAsync(name)).Select(row => $"{name}/{row.PartitionKey}/{row.RowKey}@{row.ETag}"));
        }
        var blobs = new BlobServiceClient(PeerMatchApp.StorageConnection);
        await foreach (var container in blobs.GetBlobContainersAsync(prefix: app.Prefix))
        {
            await foreach (var blob in blobs.GetBlobContainerClient(container.Name).GetBlobsAsync())
            {
                items.Add($"{container.Name[app.Prefix.Length..]}/{blob.Name}@{blob.Properties.ETag}");
            }
        }
        items.Sort(StringComparer.Ordinal);
        return items;
    }

    /// <summary>The app writes queue messages in base64 (as the Functions host reads them).</summary>
    private static string Base64Decoded(string body)
    {
        try
        {
            return System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(body));
        }
        catch (FormatException)
        {
            return body;
        }
    }
}
