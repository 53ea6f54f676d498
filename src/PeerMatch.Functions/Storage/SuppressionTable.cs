using Azure;
using Azure.Data.Tables;
using PeerMatch.Intake;

namespace PeerMatch.Functions.Storage;

/// <summary>Unsubscribed addresses, kept as hashes: enough to honour the request, nothing to read an address from.</summary>
public sealed class SuppressionTable(StorageAccount storage, TimeProvider clock) : ISuppressionList
{
    public async Task<bool> IsSuppressedAsync(string email, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.Suppressions, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(TableNames.EmailKey(email), "", ["PartitionKey"], cancellationToken);
        return row.HasValue;
    }

    public Task SuppressAsync(string email, CancellationToken cancellationToken) =>
        SuppressKeyAsync(TableNames.EmailKey(email), cancellationToken);

    /// <summary>Suppresses an address known only by its key, as an unsubscribe link carries it.</summary>
    public async Task SuppressKeyAsync(string emailKey, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.Suppressions, cancellationToken);
        var row = new TableEntity(emailKey, "") { ["SuppressedAt"] = clock.GetUtcNow() };
        await table.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>Every suppressed address key, for runs that check many addresses at once.</summary>
    public async Task<HashSet<string>> AllKeysAsync(CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.Suppressions, cancellationToken);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var row in table.QueryAsync<TableEntity>(select: ["PartitionKey"], cancellationToken: cancellationToken))
        {
            keys.Add(row.PartitionKey);
        }
        return keys;
    }

    public async Task LiftAsync(string email, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.Suppressions, cancellationToken);
        await table.DeleteEntityAsync(TableNames.EmailKey(email), "", ETag.All, cancellationToken);
    }
}
