using System.Globalization;
using Azure.Data.Tables;
using PeerMatch.Practitioners;

namespace PeerMatch.Functions.Storage;

/// <summary>Reading the rows that name someone as records of the "all my data" export.</summary>
public static class TableExports
{
    /// <summary>
    /// Every row <paramref name="filter"/> finds, as <paramref name="kind"/> records of their stored fields (keys
    /// included), or of just <paramref name="columns"/> where the row holds someone else's data too.
    /// </summary>
    public static async Task<PersonalRecords> ExportWhereAsync(this TableClient table, string kind, string filter, CancellationToken cancellationToken, params string[] columns)
    {
        var records = new List<IReadOnlyDictionary<string, string?>>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            records.Add(row.Keys
                .Where(name => columns.Length == 0 ? name is not ("odata.etag" or "Timestamp") : columns.Contains(name))
                .ToDictionary(name => name, name => Format(row[name]), StringComparer.Ordinal));
        }
        return new PersonalRecords(kind, records);
    }

    private static string? Format(object? value) => value switch
    {
        null => null,
        DateTimeOffset at => at.ToString("O", CultureInfo.InvariantCulture),
        DateTime at => at.ToString("O", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
