using System.Text.Json;

namespace PeerMatch.Functions.Hosting;

/// <summary>
/// The parts of <c>host.json</c> that the standalone runner honours as the Functions host does: the
/// route prefix, and the queue trigger's batch size, retry delay and poison threshold.
/// </summary>
public sealed record HostJson(string RoutePrefix, int QueueBatchSize, TimeSpan QueueRetryDelay, int MaxDequeueCount)
{
    /// <summary>The host's own defaults, for whatever host.json leaves out.</summary>
    public static readonly HostJson Defaults = new("api", 16, TimeSpan.Zero, 5);

    public static HostJson Load(string appRoot)
    {
        var path = Path.Combine(appRoot, "host.json");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException("host.json belongs beside the app: the build copies it there.", path);
        }
        using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var extensions = Section(document.RootElement, "extensions");
        var http = Section(extensions, "http");
        var queues = Section(extensions, "queues");
        return new HostJson(
            Text(http, "routePrefix") ?? Defaults.RoutePrefix,
            Number(queues, "batchSize") ?? Defaults.QueueBatchSize,
            Text(queues, "visibilityTimeout") is { } delay ? TimeSpan.Parse(delay, System.Globalization.CultureInfo.InvariantCulture) : Defaults.QueueRetryDelay,
            Number(queues, "maxDequeueCount") ?? Defaults.MaxDequeueCount);
    }

    /// <summary>Whether this delivery of a queue message is its last before the poison queue.</summary>
    public bool IsLastAttempt(Azure.Storage.Queues.Models.QueueMessage message) => message.DequeueCount >= MaxDequeueCount;

    private static JsonElement Section(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) ? value : default;

    private static string? Text(JsonElement parent, string name) =>
        Section(parent, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    private static int? Number(JsonElement parent, string name) =>
        Section(parent, name) is { ValueKind: JsonValueKind.Number } value ? value.GetInt32() : null;
}
