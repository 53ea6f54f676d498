using Azure;
using Azure.Data.Tables;
using PeerMatch.Practitioners;

namespace PeerMatch.Functions.Storage;

/// <summary>
/// Rows of one table that name a person, described once: the "all my data" export shows them and erasing the profile
/// removes them, both from this one description, so what a person is shown is exactly what goes.
/// </summary>
public sealed record PersonalRows
{
    private PersonalRows(string table, string kind, Func<string, string> filter)
    {
        Table = table;
        Kind = kind;
        Filter = filter;
    }

    public string Table { get; }

    /// <summary>The name of these records in the export.</summary>
    public string Kind { get; }

    /// <summary>The query that finds the person's rows, from their id.</summary>
    public Func<string, string> Filter { get; }

    /// <summary>The partition that holds only the person's rows (erased in batches), when the rows are one partition.</summary>
    public Func<string, string>? Partition { get; private init; }

    /// <summary>The columns that are the person's where a row holds someone else's data too; empty: the whole row.</summary>
    public IReadOnlyList<string> Shown { get; private init; } = [];

    /// <summary>A column blanked on erase, the row kept (it is someone else's too); null: the row is deleted.</summary>
    public string? BlankedOnErase { get; private init; }

    /// <summary>Every row of one partition, the person's (their id, or a key made from it).</summary>
    public static PersonalRows InPartition(string table, string kind, Func<string, string>? partitionOf = null)
    {
        var partition = partitionOf ?? (id => id);
        return new(table, kind, id => TableClient.CreateQueryFilter($"PartitionKey eq {partition(id)}")) { Partition = partition };
    }

    /// <summary>Every row <paramref name="filter"/> finds; only <paramref name="shown"/> exported when given.</summary>
    public static PersonalRows Where(string table, string kind, Func<string, string> filter, params string[] shown) =>
        new(table, kind, filter) { Shown = shown };

    /// <summary>These rows stay on erase, with <paramref name="column"/> blanked.</summary>
    public PersonalRows KeepingRowsBlanking(string column) => this with { BlankedOnErase = column };
}

public static class PersonalTables
{
    /// <summary>The described rows as export records, one list per kind (rows of one kind found by two descriptions together).</summary>
    public static async Task<IReadOnlyList<PersonalRecords>> ExportAsync(this StorageAccount storage, IEnumerable<PersonalRows> described,
        string practitionerId, CancellationToken cancellationToken)
    {
        var exported = new List<PersonalRecords>();
        foreach (var rows in described)
        {
            var table = await storage.TableAsync(rows.Table, cancellationToken);
            exported.Add(await table.ExportWhereAsync(rows.Kind, rows.Filter(practitionerId), cancellationToken, [.. rows.Shown]));
        }
        return exported.GroupBy(r => r.Kind, StringComparer.Ordinal)
            .Select(kind => kind.Count() == 1 ? kind.First() : new PersonalRecords(kind.Key, kind.SelectMany(r => r.Records).ToList()))
            .ToList();
    }

    /// <summary>Erases the described rows, in the order given.</summary>
    public static async Task EraseAsync(this StorageAccount storage, IEnumerable<PersonalRows> described, string practitionerId, CancellationToken cancellationToken)
    {
        foreach (var rows in described)
        {
            var table = await storage.TableAsync(rows.Table, cancellationToken);
            if (rows.BlankedOnErase is { } column)
            {
                await table.BlankWhereAsync(rows.Filter(practitionerId), column, cancellationToken);
            }
            else if (rows.Partition is { } partition)
            {
                await table.DeletePartitionAsync(partition(practitionerId), cancellationToken);
            }
            else
            {
                await table.DeleteWhereAsync(rows.Filter(practitionerId), cancellationToken);
            }
        }
    }

    private static async Task BlankWhereAsync(this TableClient table, string filter, string column, CancellationToken cancellationToken)
    {
        await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            // This one column only: the row may change meanwhile, and that change must stand (or go, deleted: nothing to blank).
            await table.TryUpdateAsync(new TableEntity(row.PartitionKey, row.RowKey) { [column] = "" }, ETag.All, TableUpdateMode.Merge, cancellationToken);
        }
    }
}
