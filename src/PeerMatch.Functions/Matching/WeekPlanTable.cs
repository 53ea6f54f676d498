using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using PeerMatch.Functions.Storage;
using PeerMatch.Matching;
using PeerMatch.Practitioners;

namespace PeerMatch.Functions.Matching;

/// <summary>
/// <c>WeekPlans</c>: PK = ISO week, RK = practitioner id, plus a marker row "~plan" written once the
/// week's suggestions are stored, and claim rows ("~claim", "~claim-late") that let one run at a time
/// take a planning step. The marker makes the plan once-per-week; DigestQueuedAt makes the digest once-per-week.
/// </summary>
public sealed class WeekPlanTable(StorageAccount storage, TimeProvider clock) : IWeekPlanStore, IPersonalDataStore
{
    public const string Name = "WeekPlans";
    private const string Marker = "~plan";

    private static string ClaimRow(PlanningStep planning) => planning == PlanningStep.Week ? "~claim" : "~claim-late";

    public async Task<bool> TryClaimAsync(string week, string runId, PlanningStep planning, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(Name, cancellationToken);
        // A claim whose run died (no plan behind it in time) may be taken over; the week's once planned, never.
        return await table.TryTakeAsync(new TableEntity(week, ClaimRow(planning)) { ["ClaimedAt"] = clock.GetUtcNow() }, runId,
            async existing => existing.GetDateTimeOffset("ClaimedAt") <= clock.GetUtcNow() - MatchRuns.PlanningClaimLifetime
                && !(planning == PlanningStep.Week && await PlannedAtAsync(week, cancellationToken) is not null),
            cancellationToken);
    }

    public async Task ReleaseClaimAsync(string week, string runId, PlanningStep planning, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(Name, cancellationToken);
        await table.ReleaseAsync(week, ClaimRow(planning), runId, cancellationToken);
    }

    public async Task<DateTimeOffset?> PlannedAtAsync(string week, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(Name, cancellationToken);
        var marker = await table.GetEntityIfExistsAsync<TableEntity>(week, Marker, cancellationToken: cancellationToken);
        return marker.HasValue ? marker.Value!.GetDateTimeOffset("PlannedAt") ?? marker.Value.Timestamp : null;
    }

    public async Task SaveAsync(string week, string runId, DateTimeOffset readAt, IEnumerable<WeekPlanEntry> entries, CancellationToken cancellationToken)
    {
        await AddAsync(week, entries, cancellationToken);
        var table = await storage.TableAsync(Name, cancellationToken);
        await table.UpsertEntityAsync(new TableEntity(week, Marker) { ["RunId"] = runId, ["PlannedAt"] = readAt }, cancellationToken: cancellationToken);
    }

    public async Task AddAsync(string week, IEnumerable<WeekPlanEntry> entries, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(Name, cancellationToken);
        var options = new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken };
        // Merged, not replaced: a digest marked queued meanwhile stays marked.
        await Parallel.ForEachAsync(entries.Chunk(100), options, async (batch, ct) =>
            await table.SubmitTransactionAsync(batch.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertMerge,
                new TableEntity(week, e.PractitionerId)
                {
                    ["TimeZone"] = e.TimeZone, ["Suggestions"] = e.Suggestions, ["NoSuggestionReason"] = e.NoSuggestionReason,
                    ["RunIds"] = string.Join(',', e.RunIds ?? []),
                })), ct));
    }

    public async IAsyncEnumerable<WeekPlanEntry> EntriesAsync(string week, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(Name, cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {week} and RowKey lt {"~"}");
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            yield return FromEntity(row);
        }
    }

    public async Task<WeekPlanEntry?> GetAsync(string week, string practitionerId, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(Name, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(week, practitionerId, cancellationToken: cancellationToken);
        return row.HasValue ? FromEntity(row.Value!) : null;
    }

    public async Task<bool> MarkDigestQueuedAsync(string week, string practitionerId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(Name, cancellationToken);
        while (true)
        {
            var row = await table.GetEntityIfExistsAsync<TableEntity>(week, practitionerId, cancellationToken: cancellationToken);
            if (!row.HasValue || row.Value!.GetDateTimeOffset("DigestQueuedAt") is not null)
            {
                return false; // marked already, or erased since the plan was read
            }
            // If-Match on the row just read: of two runs marking at once, one wins and the other reads it marked (or erased).
            if (await table.TryUpdateAsync(new TableEntity(week, practitionerId) { ["DigestQueuedAt"] = at }, row.Value.ETag, TableUpdateMode.Merge, cancellationToken) is not null)
            {
                return true;
            }
        }
    }

    /// <summary>Their line of each week's plan.</summary>
    private static readonly PersonalRows[] Personal = [PersonalRows.Where(Name, "weeklyPlans", id => TableClient.CreateQueryFilter($"RowKey eq {id}"))];

    public Task<IReadOnlyList<PersonalRecords>> ExportAsync(string practitionerId, CancellationToken cancellationToken) =>
        storage.ExportAsync(Personal, practitionerId, cancellationToken);

    public Task EraseAsync(string practitionerId, CancellationToken cancellationToken) => storage.EraseAsync(Personal, practitionerId, cancellationToken);

    private static WeekPlanEntry FromEntity(TableEntity row) => new(
        row.RowKey, row.GetString("TimeZone"), row.GetInt32("Suggestions") ?? 0, row.GetString("NoSuggestionReason"),
        row.GetDateTimeOffset("DigestQueuedAt"),
        // Rows written before late joiners were planned name one run, as RunId.
        row.GetString("RunIds") is { Length: > 0 } runIds ? runIds.Split(',') : row.GetString("RunId") is { } runId ? [runId] : []);
}
