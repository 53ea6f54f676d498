using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using PeerMatch.Functions.Storage;
using PeerMatch.Matching;
using PeerMatch.Matching.Groups;
using PeerMatch.Matching.Organizer;
using PeerMatch.Practitioners;

namespace PeerMatch.Functions.Matching;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(List<PreviewSuggestion>))]
[JsonSerializable(typeof(Dictionary<string, List<int>>))]
[JsonSerializable(typeof(MatchRunStatus))]
[JsonSerializable(typeof(MatchRunRequest))]
[JsonSerializable(typeof(SuggestionView))]
[JsonSerializable(typeof(FollowUpView))]
[JsonSerializable(typeof(AnswerRecorded))]
[JsonSerializable(typeof(MetRecorded))]
[JsonSerializable(typeof(MatchRunStarted))]
internal sealed partial class MatchingJson : JsonSerializerContext;

/// <summary>
/// <c>MatchRuns</c>: PK = "runs", RK = run id; runs wait on the <c>match-runs</c> queue. A dry run's preview is kept in
/// pages of <see cref="MatchRunStatus.PreviewPageSize"/> suggestions (<c>match-runs/{runId}/{page}.json</c>), so a page
/// is read without the rest (a week of 100,000 practitioners suggests some 300,000), beside an index of the pages that
/// name each person (<c>match-runs/{runId}/people.json</c>), so an export or an erase reads only those.
/// </summary>
public sealed class MatchRunTable(StorageAccount storage, TimeProvider clock) : IMatchRunStore, IPersonalDataStore
{
    public const string Name = "MatchRuns";
    public const string QueueName = "match-runs";
    private const string Partition = "runs";
    private const string PreviewContainer = "match-runs";

    public async Task EnqueueAsync(MatchRunRequest request, CancellationToken cancellationToken)
    {
        var queue = await storage.QueueAsync(QueueName, cancellationToken);
        await queue.SendMessageAsync(JsonSerializer.Serialize(request, MatchingJson.Default.MatchRunRequest), cancellationToken);
    }

    public async Task CreateAsync(MatchRunRequest request, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(Name, cancellationToken);
        // Run ids are new: a row there already is this very insert, retried by the client after a slow answer.
        await table.TryAddAsync(new TableEntity(Partition, request.RunId)
        {
            ["Status"] = "running", ["DryRun"] = request.DryRun, ["Force"] = request.Force, ["CreatedAt"] = clock.GetUtcNow(),
        }, cancellationToken);
    }

    public async Task CompleteAsync(string runId, MatchRunOutcome outcome, IReadOnlyList<PreviewSuggestion>? preview, CancellationToken cancellationToken)
    {
        var pages = 0;
        if (preview is not null)
        {
            pages = await StorePreviewAsync(runId, preview, cancellationToken);
            try
            {
                await ForgetOldPreviewsAsync(cancellationToken);
            }
            catch (RequestFailedException)
            {
                // Tidying: the next dry run forgets them.
            }
        }
        await UpdateAsync(new TableEntity(Partition, runId)
        {
            ["Status"] = "completed", ["Week"] = outcome.Week, ["Practitioners"] = outcome.Practitioners, ["Suggestions"] = outcome.Suggestions,
            ["EmailsSent"] = outcome.DigestsQueued, ["NewlyPlanned"] = outcome.NewlyPlanned, ["CompletedAt"] = clock.GetUtcNow(),
            ["Model"] = outcome.Model, ["Training"] = outcome.Training, ["Explored"] = outcome.Explored, ["PreviewPages"] = pages,
        }, cancellationToken);
    }

    private async Task<int> StorePreviewAsync(string runId, IReadOnlyList<PreviewSuggestion> preview, CancellationToken cancellationToken)
    {
        var container = await storage.ContainerAsync(PreviewContainer, cancellationToken);
        var index = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var pages = preview.Chunk(MatchRunStatus.PreviewPageSize).ToList();
        for (var page = 0; page < pages.Count; page++)
        {
            foreach (var id in pages[page].SelectMany(s => new[] { s.PractitionerId, s.PeerId }).Distinct(StringComparer.Ordinal))
            {
                if (!index.TryGetValue(id, out var named))
                {
                    index[id] = named = [];
                }
                named.Add(page);
            }
        }
        // Written first: a run that stops half-way leaves pages an erase can still find (a page not yet written reads empty).
        await container.GetBlobClient(IndexName(runId)).WriteAsync(index, MatchingJson.Default.DictionaryStringListInt32, cancellationToken);
        for (var page = 0; page < pages.Count; page++)
        {
            await container.GetBlobClient(PageName(runId, page)).WriteAsync([.. pages[page]], MatchingJson.Default.ListPreviewSuggestion, cancellationToken);
        }
        return pages.Count;
    }

    /// <summary>A dry run is a look at one week: its preview is kept for <see cref="PreviewRetention"/>.</summary>
    public static readonly TimeSpan PreviewRetention = TimeSpan.FromDays(7);

    /// <summary>
    /// Deletes the previews of dry runs started more than <see cref="PreviewRetention"/> ago (finished, failed or
    /// abandoned), then marks each forgotten: a crash in between leaves it to be deleted again next time.
    /// </summary>
    private async Task ForgetOldPreviewsAsync(CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(Name, cancellationToken);
        var container = await storage.ContainerAsync(PreviewContainer, cancellationToken);
        var before = clock.GetUtcNow() - PreviewRetention;
        await foreach (var run in table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and DryRun eq true and CreatedAt lt {before} and not (PreviewForgotten eq true)"), cancellationToken: cancellationToken))
        {
            await foreach (var blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, run.RowKey + "/", cancellationToken))
            {
                await container.DeleteBlobIfExistsAsync(blob.Name, cancellationToken: cancellationToken);
            }
            // A reader who saw the pages named a moment ago finds them gone, and reads an empty page.
            await table.UpdateEntityAsync(new TableEntity(Partition, run.RowKey) { ["PreviewPages"] = 0, ["PreviewForgotten"] = true }, ETag.All, TableUpdateMode.Merge, cancellationToken);
        }
    }

    public Task FailAsync(string runId, string reason, CancellationToken cancellationToken) =>
        UpdateAsync(new TableEntity(Partition, runId) { ["Status"] = "failed", ["Error"] = reason, ["CompletedAt"] = clock.GetUtcNow() }, cancellationToken);

    public async Task<MatchRunStatus?> GetAsync(string runId, int page, CancellationToken cancellationToken)
    {
        if (runId.Length is 0 or > 64 || !runId.All(char.IsAsciiLetterOrDigit))
        {
            return null;
        }
        var table = await storage.TableAsync(Name, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(Partition, runId, cancellationToken: cancellationToken);
        if (!row.HasValue)
        {
            return null;
        }
        var e = row.Value!;
        var dryRun = e.GetBoolean("DryRun") ?? false;
        var pages = e.GetInt32("PreviewPages") ?? 0;
        List<PreviewSuggestion>? preview = null;
        if (dryRun && e.GetString("Status") == "completed")
        {
            preview = page < pages ? await PageAsync(await storage.ContainerAsync(PreviewContainer, cancellationToken), PageName(runId, page), cancellationToken) : [];
        }
        return new MatchRunStatus(runId, e.GetString("Status"), dryRun, e.GetBoolean("Force") ?? false, e.GetString("Week"),
            e.GetInt32("Practitioners") ?? 0, e.GetInt32("Suggestions") ?? 0, e.GetInt32("EmailsSent") ?? 0, e.GetString("Error"), preview,
            e.GetInt32("NewlyPlanned") ?? 0, e.GetString("Model"), e.GetString("Training"), e.GetInt32("Explored") ?? 0,
            PreviewPage: page, PreviewPages: pages, PreviewForgotten: e.GetBoolean("PreviewForgotten") ?? false);
    }

    /// <summary>The lines of dry-run previews about the practitioner (a preview is for organizers, but it names them).</summary>
    public async Task<IReadOnlyList<PersonalRecords>> ExportAsync(string practitionerId, CancellationToken cancellationToken)
    {
        var lines = new List<IReadOnlyDictionary<string, string?>>();
        await foreach (var (name, page) in PagesNamingAsync(practitionerId, cancellationToken))
        {
            lines.AddRange(page.Where(p => Names(p, practitionerId)).Select(p => new Dictionary<string, string?>
            {
                ["Preview"] = name,
                ["SuggestedTo"] = p.PractitionerId == practitionerId ? "you" : p.PractitionerName,
                ["Peer"] = p.PeerId == practitionerId ? "you" : p.PeerName,
                ["Reasons"] = string.Join("; ", p.Reasons),
            }));
        }
        return [new PersonalRecords("matchRunPreviews", lines)];
    }

    /// <summary>Dry-run previews name people: an erased practitioner's lines go from every page, and their name from each index.</summary>
    public async Task EraseAsync(string practitionerId, CancellationToken cancellationToken)
    {
        var container = await storage.ContainerAsync(PreviewContainer, cancellationToken);
        await foreach (var (indexName, index) in IndexesAsync(container, cancellationToken))
        {
            if (!index.TryGetValue(practitionerId, out var pages))
            {
                continue;
            }
            var runId = indexName[..indexName.IndexOf('/', StringComparison.Ordinal)];
            // Each written back only if nobody wrote it meanwhile (two people erased from one page at once both leave it);
            // a blob gone meanwhile (its preview forgotten) stays gone.
            foreach (var page in pages)
            {
                await container.GetBlobClient(PageName(runId, page)).ChangeAsync(MatchingJson.Default.ListPreviewSuggestion,
                    lines => lines?.RemoveAll(p => Names(p, practitionerId)) > 0 ? lines : null, cancellationToken);
            }
            await container.GetBlobClient(indexName).ChangeAsync(MatchingJson.Default.DictionaryStringListInt32,
                named => named?.Remove(practitionerId) == true ? named : null, cancellationToken);
        }
    }

    private static bool Names(PreviewSuggestion suggestion, string practitionerId) => suggestion.PractitionerId == practitionerId || suggestion.PeerId == practitionerId;

    /// <summary>Each preview page that names the practitioner, found through each run's index.</summary>
    private async IAsyncEnumerable<(string Name, List<PreviewSuggestion> Page)> PagesNamingAsync(
        string practitionerId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var container = await storage.ContainerAsync(PreviewContainer, cancellationToken);
        await foreach (var (indexName, index) in IndexesAsync(container, cancellationToken))
        {
            var runId = indexName[..indexName.IndexOf('/', StringComparison.Ordinal)];
            foreach (var page in index.GetValueOrDefault(practitionerId) ?? [])
            {
                yield return (PageName(runId, page), await PageAsync(container, PageName(runId, page), cancellationToken));
            }
        }
    }

    private static async IAsyncEnumerable<(string Name, Dictionary<string, List<int>> Index)> IndexesAsync(
        BlobContainerClient container, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var run in container.GetBlobsByHierarchyAsync(BlobTraits.None, BlobStates.None, "/", prefix: null, cancellationToken))
        {
            if (!run.IsPrefix)
            {
                continue;
            }
            var name = IndexName(run.Prefix.TrimEnd('/'));
            // None yet: a run that has only begun to store its preview.
            if (await container.GetBlobClient(name).ReadAsync(MatchingJson.Default.DictionaryStringListInt32, cancellationToken) is { } index)
            {
                yield return (name, index);
            }
        }
    }

    /// <summary>A page of a preview; none when it has just been forgotten (read between the run's row and the blob).</summary>
    private static async Task<List<PreviewSuggestion>> PageAsync(BlobContainerClient container, string name, CancellationToken cancellationToken) =>
        await container.GetBlobClient(name).ReadAsync(MatchingJson.Default.ListPreviewSuggestion, cancellationToken) ?? [];

    private static string PageName(string runId, int page) => string.Create(CultureInfo.InvariantCulture, $"{runId}/{page:D5}.json");

    private static string IndexName(string runId) => runId + "/people.json";

    private async Task UpdateAsync(TableEntity changes, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(Name, cancellationToken);
        await table.UpsertEntityAsync(changes, TableUpdateMode.Merge, cancellationToken);
    }
}
