using Azure;
using Azure.Data.Tables;

namespace PeerMatch.Functions.Storage;

/// <summary>Deleting the rows that name someone: a whole partition, or every row a filter finds.</summary>
public static class TableDeletes
{
    /// <summary>Deletes every row of <paramref name="partitionKey"/>, in batches of 100 (one partition per batch).</summary>
    public static async Task DeletePartitionAsync(this TableClient table, string partitionKey, CancellationToken cancellationToken)
    {
        var rows = new List<TableTransactionAction>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey}");
        await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            rows.Add(new TableTransactionAction(TableTransactionActionType.Delete, row, ETag.All));
        }
        foreach (var batch in rows.Chunk(100))
        {
            try
            {
                await table.SubmitTransactionAsync(batch, cancellationToken);
            }
            catch (TableTransactionFailedException e) when (e.Status == 404)
            {
                // Another erase (or a purge) deleted some first, which fails the whole batch: the rest one by one (a
                // delete of a row already gone succeeds).
                foreach (var action in batch)
                {
                    await table.DeleteEntityAsync(action.Entity.PartitionKey, action.Entity.RowKey, ETag.All, cancellationToken);
                }
            }
        }
    }

    /// <summary>Deletes every row <paramref name="filter"/> finds, across partitions (one by one).</summary>
    public static async Task DeleteWhereAsync(this TableClient table, string filter, CancellationToken cancellationToken)
    {
        await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            await table.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, cancellationToken);
        }
    }
}
