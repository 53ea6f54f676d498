using Azure;
using Azure.Data.Tables;

namespace PeerMatch.Functions.Storage;

/// <summary>
/// Writes that may lose to another writer, answered true or false instead of thrown: an insert loses when the row
/// exists (409), a write over a row as it was read (its ETag) when someone wrote it since (412) or it is gone (404).
/// The caller decides what losing means (someone else did it; read again; let it be).
/// </summary>
public static class TableWrites
{
    /// <summary>Inserts <paramref name="row"/>; its ETag, or null when the row exists already.</summary>
    public static async Task<ETag?> TryAddAsync(this TableClient table, ITableEntity row, CancellationToken cancellationToken)
    {
        try
        {
            var response = await table.AddEntityAsync(row, cancellationToken);
            return response.Headers.ETag ?? ETag.All;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return null;
        }
    }

    /// <summary>Writes <paramref name="row"/> over the row as read (<paramref name="etag"/>); the new ETag, or null when it lost.</summary>
    public static async Task<ETag?> TryUpdateAsync(this TableClient table, ITableEntity row, ETag etag, TableUpdateMode mode, CancellationToken cancellationToken)
    {
        try
        {
            var response = await table.UpdateEntityAsync(row, etag, mode, cancellationToken);
            return response.Headers.ETag ?? etag;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return null;
        }
    }

    /// <summary>A transaction of writes over rows as read: false when any of them lost (409, 412, 404), and then none was made.</summary>
    public static async Task<bool> TrySubmitAsync(this TableClient table, IReadOnlyList<TableTransactionAction> actions, CancellationToken cancellationToken)
    {
        try
        {
            await table.SubmitTransactionAsync(actions, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 412 or 409 or 404)
        {
            return false;
        }
    }

    /// <summary>Deletes the row as read (<paramref name="etag"/>); false when someone wrote it since, or it is gone already.</summary>
    public static async Task<bool> TryDeleteAsync(this TableClient table, string partitionKey, string rowKey, ETag etag, CancellationToken cancellationToken)
    {
        try
        {
            await table.DeleteEntityAsync(partitionKey, rowKey, etag, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return false;
        }
    }
}

/// <summary>
/// A row one holder at a time holds (a claim, a lease, a slot): taken when absent, or taken over when the row says its
/// holder let it lapse (a holder that stopped); let go only by its holder. The holder's name is kept in the row.
/// </summary>
public static class TableLeases
{
    public const string Holder = "Holder";

    /// <summary>
    /// Holds <paramref name="lease"/> (its keys and fields) for <paramref name="holder"/>: true when taken, taken over from
    /// a holder <paramref name="lapsed"/> says may be replaced, or already this holder's (the client's retry of this
    /// very insert); false while another holds it.
    /// </summary>
    public static async Task<bool> TryTakeAsync(this TableClient table, TableEntity lease, string holder, Func<TableEntity, Task<bool>> lapsed, CancellationToken cancellationToken)
    {
        lease[Holder] = holder;
        if (await table.TryAddAsync(lease, cancellationToken) is not null)
        {
            return true;
        }
        var existing = await table.GetEntityIfExistsAsync<TableEntity>(lease.PartitionKey, lease.RowKey, cancellationToken: cancellationToken);
        if (!existing.HasValue)
        {
            return false; // let go a moment ago: the next attempt takes it
        }
        if (existing.Value!.GetString(Holder) == holder)
        {
            return true;
        }
        return await lapsed(existing.Value) && await table.TryUpdateAsync(lease, existing.Value.ETag, TableUpdateMode.Replace, cancellationToken) is not null;
    }

    /// <summary>Lets go of the lease if <paramref name="holder"/> still holds it (taken over meanwhile, it is not theirs to let go).</summary>
    public static async Task ReleaseAsync(this TableClient table, string partitionKey, string rowKey, string holder, CancellationToken cancellationToken)
    {
        var existing = await table.GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey, cancellationToken: cancellationToken);
        if (existing.HasValue && existing.Value!.GetString(Holder) == holder)
        {
            await table.TryDeleteAsync(partitionKey, rowKey, existing.Value.ETag, cancellationToken);
        }
    }
}
