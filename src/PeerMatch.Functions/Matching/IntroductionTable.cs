using Azure;
using Azure.Data.Tables;
using PeerMatch.Functions.Storage;
using PeerMatch.Matching;
using PeerMatch.Practitioners;

namespace PeerMatch.Functions.Matching;

/// <summary>
/// <c>Introductions</c>: one row per introduced pair, PK = the smaller id, RK = the larger. Its insert
/// is what makes an introduction happen once, whoever says the second yes.
/// </summary>
public sealed class IntroductionTable(StorageAccount storage) : IIntroductionStore, IPersonalDataStore
{
    public const string Name = "Introductions";

    public async Task<bool> TryRecordAsync(StoredSuggestion one, StoredSuggestion other, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(Name, cancellationToken);
        var (low, high) = string.CompareOrdinal(one.PractitionerId, other.PractitionerId) < 0 ? (one, other) : (other, one);
        // Marks this attempt, so that the client's own retry of a slow insert is told apart from another answer's.
        var attempt = Guid.NewGuid().ToString("N");
        var row = new TableEntity(low.PractitionerId, high.PractitionerId)
        {
            ["IntroducedAt"] = at, ["LowSuggestion"] = low.Id, ["HighSuggestion"] = high.Id, ["RecordedBy"] = attempt,
        };
        if (await table.TryAddAsync(row, cancellationToken) is not null)
        {
            return true;
        }
        var existing = await table.GetEntityIfExistsAsync<TableEntity>(low.PractitionerId, high.PractitionerId, ["RecordedBy"], cancellationToken);
        return existing.HasValue && existing.Value!.GetString("RecordedBy") == attempt; // gone: erased meanwhile
    }

    public async Task<List<Introduction>> AwaitingFollowUpAsync(DateTimeOffset introducedBy, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(Name, cancellationToken);
        var filter = TableClient.CreateQueryFilter($"IntroducedAt le {introducedBy}");
        var due = new List<Introduction>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (row.GetDateTimeOffset("FollowUpQueuedAt") is null)
            {
                due.Add(new Introduction((row.PartitionKey, row.GetString("LowSuggestion")), (row.RowKey, row.GetString("HighSuggestion")), row.GetDateTimeOffset("IntroducedAt") ?? default));
            }
        }
        return due;
    }

    public async Task MarkFollowUpQueuedAsync(Introduction introduction, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(Name, cancellationToken);
        // An update, never an upsert: an introduction erased since it was read must not come back.
        await table.TryUpdateAsync(new TableEntity(introduction.Low.Practitioner, introduction.High.Practitioner) { ["FollowUpQueuedAt"] = at }, ETag.All, TableUpdateMode.Merge, cancellationToken);
    }

    /// <summary>Introductions of the practitioner, on either side: a pair is one row, in the partition of one and keyed by the other.</summary>
    private static readonly PersonalRows[] Personal =
    [
        PersonalRows.InPartition(Name, "introductions"),
        PersonalRows.Where(Name, "introductions", id => TableClient.CreateQueryFilter($"RowKey eq {id}")),
    ];

    public Task<IReadOnlyList<PersonalRecords>> ExportAsync(string practitionerId, CancellationToken cancellationToken) =>
        storage.ExportAsync(Personal, practitionerId, cancellationToken);

    public Task EraseAsync(string practitionerId, CancellationToken cancellationToken) => storage.EraseAsync(Personal, practitionerId, cancellationToken);
}
