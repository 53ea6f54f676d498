using System.Text.Json;
using System.Text.Json.Serialization;

namespace PeerMatch.Functions.Hosting;

public enum TriggerKind { Http, Timer, Queue }

/// <summary>One function as its <c>function.json</c> describes it.</summary>
public sealed record FunctionDefinition(string Name, TriggerKind Trigger, string? Schedule, string? QueueName, string? Route);

/// <summary>
/// The functions of this app, read from the <c>&lt;Name&gt;/function.json</c> files beside the
/// executable: the same files the Functions host reads, so schedules and queue names have one source.
/// </summary>
public sealed class FunctionCatalog(IReadOnlyList<FunctionDefinition> functions)
{
    public IReadOnlyList<FunctionDefinition> Functions { get; } = functions;

    public FunctionDefinition? Find(string name) =>
        Functions.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));

    public static FunctionCatalog Load(string appRoot)
    {
        var functions = new List<FunctionDefinition>();
        // The host's layout: <app root>/<FunctionName>/function.json, one level down.
        var files = Directory.EnumerateDirectories(appRoot)
            .Select(folder => Path.Combine(folder, "function.json"))
            .Where(File.Exists)
            .Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var name = Path.GetFileName(Path.GetDirectoryName(file))!;
            var json = JsonSerializer.Deserialize(File.ReadAllText(file), InvocationJson.Default.FunctionJson)
                ?? throw new InvalidOperationException($"{file} is empty.");
            var trigger = json.Bindings.SingleOrDefault(b => b.Direction == "in" && b.Type.EndsWith("Trigger", StringComparison.Ordinal))
                ?? throw new InvalidOperationException($"{file} has no trigger binding.");
            functions.Add(trigger.Type switch
            {
                "httpTrigger" => new FunctionDefinition(name, TriggerKind.Http, null, null, trigger.Route),
                "timerTrigger" => new FunctionDefinition(name, TriggerKind.Timer, trigger.Schedule, null, null),
                "queueTrigger" => new FunctionDefinition(name, TriggerKind.Queue, null, trigger.QueueName, null),
                _ => throw new InvalidOperationException($"{file}: trigger '{trigger.Type}' is not supported."),
            });
        }
        return new FunctionCatalog(functions);
    }
}

internal sealed class FunctionJson
{
    [JsonPropertyName("bindings")]
    public List<FunctionBinding> Bindings { get; init; } = [];
}

internal sealed class FunctionBinding
{
    [JsonPropertyName("type")]
    public string Type { get; init; } = "";

    [JsonPropertyName("direction")]
    public string Direction { get; init; } = "";

    [JsonPropertyName("name")]
    public string Name { get; init; } = "";

    [JsonPropertyName("route")]
    public string? Route { get; init; }

    [JsonPropertyName("schedule")]
    public string? Schedule { get; init; }

    [JsonPropertyName("queueName")]
    public string? QueueName { get; init; }
}
