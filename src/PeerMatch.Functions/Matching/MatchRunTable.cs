using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Data.Tables;
using PeerMatch.Functions.Storage;
using PeerMatch.Intake;
using PeerMatch.Matching;

namespace PeerMatch.Functions.Matching;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(List<PreviewSuggestion>))]
[JsonSerializable(typeof(MatchRunStatus))]
[JsonSerializable(typeof(MatchRunRequest))]
[JsonSerializable(typeof(GroupProposal))]
[JsonSerializable(typeof(List<GroupProposal>))]
[JsonSerializable(typeof(CoverageReport))]
internal sealed partial class MatchingJson : JsonSerializerContext;

/// <summary>
/// <c>MatchRuns</c>: PK = "runs", RK = run id; dry-run previews in the blob <c>match-runs/{runId}.json</c>;
/// runs wait on the <c>match-runs</c> queue.
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
        try
        {
            await table.AddEntityAsync(new TableEntity(Partition, request.RunId)
            {
                ["Status"] = "running", ["DryRun"] = request.DryRun, ["Force"] = request.Force, ["CreatedAt"] = clock.GetUtcNow(),
            }, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Run ids are new: the row is this very insert, retried by the client after a slow answer.
        }
    }

    public async Task CompleteAsync(string runId, MatchRunOutcome outcome, IReadOnlyList<PreviewSuggestion>? preview, CancellationToken cancellationToken)
    {
        if (preview is not null)
        {
            var container = await storage.ContainerAsync(PreviewContainer, cancellationToken);
            await container.GetBlobClient(runId + ".json").UploadAsync(
                BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(preview.ToList(), MatchingJson.Default.ListPreviewSuggestion)), overwrite: true, cancellationToken);
        }
        await UpdateAsync(new TableEntity(Partition, runId)
        {
            ["Status"] = "completed", ["Week"] = outcome.Week, ["Practitioners"] = outcome.Practitioners, ["Suggestions"] = outcome.Suggestions,
            ["EmailsSent"] = outcome.DigestsQueued, ["NewlyPlanned"] = outcome.NewlyPlanned, ["CompletedAt"] = clock.GetUtcNow(),
            ["Model"] = outcome.Model, ["Training"] = outcome.Training, ["Explored"] = outcome.Explored,
        }, cancellationToken);
    }

    public Task FailAsync(string runId, string reason, CancellationToken cancellationToken) =>
        UpdateAsync(new TableEntity(Partition, runId) { ["Status"] = "failed", ["Error"] = reason, ["CompletedAt"] = clock.GetUtcNow() }, cancellationToken);

    public async Task<MatchRunStatus?> GetAsync(string runId, CancellationToken cancellationToken)
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
        List<PreviewSuggestion>? preview = null;
        if (dryRun && e.GetString("Status") == "completed")
        {
            var container = await storage.ContainerAsync(PreviewContainer, cancellationToken);
            var blob = await container.GetBlobClient(runId + ".json").DownloadContentAsync(cancellationToken);
            preview = JsonSerializer.Deserialize(blob.Value.Content.ToMemory().Span, MatchingJson.Default.ListPreviewSuggestion);
        }
        return new MatchRunStatus(runId, e.GetString("Status"), dryRun, e.GetBoolean("Force") ?? false, e.GetString("Week"),
            e.GetInt32("Practitioners") ?? 0, e.GetInt32("Suggestions") ?? 0, e.GetInt32("EmailsSent") ?? 0, e.GetString("Error"), preview,
            e.GetInt32("NewlyPlanned") ?? 0, e.GetString("Model"), e.GetString("Training"), e.GetInt32("Explored") ?? 0);
    }

    /// <summary>The lines of dry-run previews about the practitioner (a preview is for organizers, but it names them).</summary>
    public async Task<IReadOnlyList<PersonalRecords>> ExportAsync(string practitionerId, CancellationToken cancellationToken)
    {
        var lines = new List<IReadOnlyDictionary<string, string?>>();
        await foreach (var (blob, preview) in PreviewsNamingAsync(practitionerId, cancellationToken))
        {
            lines.AddRange(preview.Where(p => p.PractitionerId == practitionerId || p.PeerId == practitionerId).Select(p => new Dictionary<string, string?>
            {
                ["Preview"] = blob.Name,
                ["SuggestedTo"] = p.PractitionerId == practitionerId ? "you" : p.PractitionerName,
                ["Peer"] = p.PeerId == practitionerId ? "you" : p.PeerName,
                ["Reasons"] = string.Join("; ", p.Reasons),
            }));
        }
        return [new PersonalRecords("matchRunPreviews", lines)];
    }

    /// <summary>Dry-run previews name people: an erased practitioner's previews go too.</summary>
    public async Task EraseAsync(string practitionerId, CancellationToken cancellationToken)
    {
        await foreach (var (blob, _) in PreviewsNamingAsync(practitionerId, cancellationToken))
        {
            await blob.DeleteIfExistsAsync(cancellationToken: cancellationToken);
        }
    }

    private async IAsyncEnumerable<(Azure.Storage.Blobs.BlobClient Blob, List<PreviewSuggestion> Preview)> PreviewsNamingAsync(
        string practitionerId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var container = await storage.ContainerAsync(PreviewContainer, cancellationToken);
        await foreach (var item in container.GetBlobsAsync(cancellationToken: cancellationToken))
        {
            var blob = container.GetBlobClient(item.Name);
            var content = (await blob.DownloadContentAsync(cancellationToken)).Value.Content;
            if (content.ToString().Contains(practitionerId, StringComparison.Ordinal))
            {
                yield return (blob, JsonSerializer.Deserialize(content.ToMemory().Span, MatchingJson.Default.ListPreviewSuggestion) ?? []);
            }
        }
    }

    private async Task UpdateAsync(TableEntity changes, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(Name, cancellationToken);
        await table.UpsertEntityAsync(changes, TableUpdateMode.Merge, cancellationToken);
    }
}
