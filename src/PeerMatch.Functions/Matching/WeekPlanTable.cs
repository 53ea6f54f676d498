using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using PeerMatch.Functions.Storage;
using PeerMatch.Intake;
using PeerMatch.Matching;

namespace PeerMatch.Functions.Matching;

/// <summary>
/// <c>WeekPlans</c>: PK = ISO week, RK = practitioner id, plus a marker row "~plan" written once the
/// week's suggestions are stored. The marker makes the plan once-per-week; DigestQueuedAt makes the
/// digest once-per-week.
/// </summary>
public sealed class WeekPlanTable(StorageAccount storage, TimeProvider clock) : IWeekPlanStore, IPersonalDataStore
{
    public const string Name = "WeekPlans";
    private const string Marker = "~plan";
    private const string Claim = "~claim";

    public async Task<bool> TryClaimAsync(string week, string runId, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(Name, cancellationToken);
        var claim = new TableEntity(week, Claim) { ["RunId"] = runId, ["ClaimedAt"] = clock.GetUtcNow() };
        try
        {
            await table.AddEntityAsync(claim, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            var existing = await table.GetEntityAsync<TableEntity>(week, Claim, cancellationToken: cancellationToken);
            if (existing.Value.GetString("RunId") == runId)
            {
                return true; // our own claim: this run's message is being retried
            }
            if (existing.Value.GetDateTimeOffset("ClaimedAt") > clock.GetUtcNow() - MatchRuns.PlanningClaimLifetime || await IsPlannedAsync(week, cancellationToken))
            {
                return false;
            }
            try
            {
                await table.UpdateEntityAsync(claim, existing.Value.ETag, TableUpdateMode.Replace, cancellationToken);
                return true;
            }
            catch (RequestFailedException stale) when (stale.Status == 412)
            {
                return false;
            }
        }
    }

    public async Task<bool> IsPlannedAsync(string week, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(Name, cancellationToken);
        return (await table.GetEntityIfExistsAsync<TableEntity>(week, Marker, ["PartitionKey"], cancellationToken)).HasValue;
    }

    public async Task SaveAsync(string week, string runId, IEnumerable<WeekPlanEntry> entries, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(Name, cancellationToken);
        var options = new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(entries.Chunk(100), options, async (batch, ct) =>
            await table.SubmitTransactionAsync(batch.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertMerge,
                new TableEntity(week, e.PractitionerId) { ["TimeZone"] = e.TimeZone, ["Suggestions"] = e.Suggestions, ["NoSuggestionReason"] = e.NoSuggestionReason, ["RunId"] = runId })), ct));
        await table.UpsertEntityAsync(new TableEntity(week, Marker) { ["RunId"] = runId }, cancellationToken: cancellationToken);
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

    public async Task MarkDigestQueuedAsync(string week, string practitionerId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(Name, cancellationToken);
        await table.UpsertEntityAsync(new TableEntity(week, practitionerId) { ["DigestQueuedAt"] = at }, TableUpdateMode.Merge, cancellationToken);
    }

    public async Task EraseAsync(string practitionerId, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(Name, cancellationToken);
        await table.DeleteWhereAsync(TableClient.CreateQueryFilter($"RowKey eq {practitionerId}"), cancellationToken);
    }

    private static WeekPlanEntry FromEntity(TableEntity row) => new(
        row.RowKey, row.GetString("TimeZone"), row.GetInt32("Suggestions") ?? 0, row.GetString("NoSuggestionReason"),
        row.GetDateTimeOffset("DigestQueuedAt"), row.GetString("RunId"));
}
