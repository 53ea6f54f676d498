using Azure;
using Azure.Data.Tables;
using PeerMatch.Functions.Storage;
using PeerMatch.Practitioners;

namespace PeerMatch.Functions.Intake;

/// <summary>
/// <c>Suppressions</c>: PK = <see cref="EmailAddresses.Key"/> of an unsubscribed address, RK = "". Kept as
/// hashes: enough to honour the request, nothing to read an address from. Erasing a profile leaves it.
/// </summary>
public sealed class SuppressionTable(StorageAccount storage, TimeProvider clock) : ISuppressionList
{
    public const string Name = "Suppressions";

    public Task<bool> IsSuppressedAsync(string email, CancellationToken cancellationToken) =>
        IsSuppressedKeyAsync(EmailAddresses.Key(email), cancellationToken);

    /// <summary>Whether an address known only by its key, as an unsubscribe link carries it, is suppressed.</summary>
    public async Task<bool> IsSuppressedKeyAsync(string emailKey, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(Name, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(emailKey, "", ["PartitionKey"], cancellationToken);
        return row.HasValue;
    }

    public Task SuppressAsync(string email, CancellationToken cancellationToken) =>
        SuppressKeyAsync(EmailAddresses.Key(email), cancellationToken);

    /// <summary>Suppresses an address known only by its key, as an unsubscribe link carries it.</summary>
    public async Task SuppressKeyAsync(string emailKey, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(Name, cancellationToken);
        var row = new TableEntity(emailKey, "") { ["SuppressedAt"] = clock.GetUtcNow() };
        await table.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<IReadOnlySet<string>> SuppressedKeysAsync(CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(Name, cancellationToken);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var row in table.QueryAsync<TableEntity>(select: ["PartitionKey"], cancellationToken: cancellationToken))
        {
            keys.Add(row.PartitionKey);
        }
        return keys;
    }

    public async Task LiftAsync(string email, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(Name, cancellationToken);
        await table.DeleteEntityAsync(EmailAddresses.Key(email), "", ETag.All, cancellationToken);
    }
}
