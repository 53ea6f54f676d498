using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using PeerMatch.Functions.Storage;
using PeerMatch.Matching;
using PeerMatch.Practitioners;

namespace PeerMatch.Functions.Matching;

/// <summary>
/// <c>Suggestions</c>: PK = the practitioner the suggestion went to, RK = "{week}-{peer id}".
/// A person's history is one partition; the reciprocal row is a point read.
/// </summary>
public sealed class SuggestionTable(StorageAccount storage) : ISuggestionStore, IPersonalDataStore
{
    public const string Name = "Suggestions";

    public async Task SaveAsync(IEnumerable<StoredSuggestion> suggestions, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(Name, cancellationToken);
        // One batch per recipient (their week's rows share a partition); many recipients at once.
        var options = new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(suggestions.GroupBy(s => s.PractitionerId), options, async (partition, ct) =>
        {
            var actions = partition.Select(s => new TableTransactionAction(TableTransactionActionType.UpsertReplace, ToEntity(s))).ToList();
            await table.SubmitTransactionAsync(actions, ct);
        });
    }

    public async Task<StoredSuggestion?> GetAsync(string practitionerId, string id, CancellationToken cancellationToken)
    {
        if (!IsKey(practitionerId) || !IsKey(id))
        {
            return null;
        }
        var table = await storage.TableAsync(Name, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(practitionerId, id, cancellationToken: cancellationToken);
        return row.HasValue ? FromEntity(row.Value!) : null;
    }

    public async Task<List<StoredSuggestion>> ForWeekAsync(string practitionerId, string week, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(Name, cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {practitionerId} and RowKey ge {week + "-"} and RowKey lt {week + "."}");
        var rows = new List<StoredSuggestion>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            rows.Add(FromEntity(row));
        }
        return rows.OrderByDescending(s => s.Score).ToList();
    }

    public async Task<RecordedOnce> TryRecordOnceAsync(StoredSuggestion suggestion, AnswerField field, string value, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var column = field.ToString();
        var table = await storage.TableAsync(Name, cancellationToken);
        var found = await table.GetEntityIfExistsAsync<TableEntity>(suggestion.PractitionerId, suggestion.Id, cancellationToken: cancellationToken);
        if (!found.HasValue)
        {
            return RecordedOnce.Gone; // erased since the link was opened
        }
        var row = found.Value!;
        if (row.GetString(column) is not null)
        {
            return RecordedOnce.AlreadyRecorded;
        }
        row[column] = value;
        row[column + "At"] = now;
        try
        {
            await table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
            return RecordedOnce.Recorded;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return RecordedOnce.AlreadyRecorded; // two clicks at once: the other one won
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return RecordedOnce.Gone; // erased between the read and the write
        }
    }

    public async IAsyncEnumerable<StoredSuggestion> AllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(Name, cancellationToken);
        await foreach (var row in table.QueryAsync<TableEntity>(cancellationToken: cancellationToken))
        {
            yield return FromEntity(row);
        }
    }

    /// <summary>
    /// Suggestions made to the practitioner, whole; suggestions of them to others, only when (the rest of such a row, the
    /// other person's answer, is theirs). Both go on erase.
    /// </summary>
    private static readonly PersonalRows[] Personal =
    [
        PersonalRows.InPartition(Name, "suggestionsToYou"),
        PersonalRows.Where(Name, "suggestionsOfYou", id => TableClient.CreateQueryFilter($"PeerId eq {id}"), "Week", "CreatedAt"),
    ];

    public Task<IReadOnlyList<PersonalRecords>> ExportAsync(string practitionerId, CancellationToken cancellationToken) =>
        storage.ExportAsync(Personal, practitionerId, cancellationToken);

    public Task EraseAsync(string practitionerId, CancellationToken cancellationToken) => storage.EraseAsync(Personal, practitionerId, cancellationToken);

    private static bool IsKey(string value) => value.Length is > 0 and <= 100 && value.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    private static TableEntity ToEntity(StoredSuggestion s) => new(s.PractitionerId, s.Id)
    {
        ["PeerId"] = s.PeerId,
        ["Week"] = s.Week,
        ["RunId"] = s.RunId,
        ["Score"] = (double)s.Score,
        ["Reasons"] = JsonSerializer.Serialize(s.Reasons, MatchingJson.Default.IReadOnlyListString),
        ["Features"] = string.Join(',', s.Features.Select(f => f.ToString("R", CultureInfo.InvariantCulture))),
        ["CreatedAt"] = s.CreatedAt,
        ["Answer"] = s.Answer,
        ["AnswerAt"] = s.AnsweredAt,
        ["Met"] = s.Met,
        ["Explored"] = s.Explored,
    };

    private static StoredSuggestion FromEntity(TableEntity e) => new(
        e.PartitionKey,
        e.GetString("PeerId"),
        e.GetString("Week"),
        e.GetString("RunId"),
        (float)(e.GetDouble("Score") ?? 0),
        JsonSerializer.Deserialize(e.GetString("Reasons") ?? "[]", MatchingJson.Default.IReadOnlyListString) ?? [],
        (e.GetString("Features") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(f => float.Parse(f, CultureInfo.InvariantCulture)).ToArray(),
        e.GetDateTimeOffset("CreatedAt") ?? default,
        e.GetString("Answer"),
        e.GetDateTimeOffset("AnswerAt"),
        e.GetString("Met"),
        e.GetBoolean("Explored") ?? false);
}
