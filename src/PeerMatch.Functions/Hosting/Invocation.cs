using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace PeerMatch.Functions.Hosting;

/// <summary>A timer or queue function: what the Functions host (or the standalone runner) calls.</summary>
public interface IInvokedFunction
{
    Task<InvocationResult> InvokeAsync(Invocation invocation, CancellationToken cancellationToken);
}

/// <summary>The host's invocation payload: <c>{"Data": {binding: value}, "Metadata": {...}}</c>.</summary>
public sealed record Invocation(string FunctionName, JsonElement Data, JsonElement Metadata)
{
    /// <summary>The text of the queue message bound as <paramref name="binding"/>.</summary>
    public string? QueueMessage(string binding = "msg")
    {
        if (Data.ValueKind != JsonValueKind.Object || !Data.TryGetProperty(binding, out var value))
        {
            return null;
        }
        return value.ValueKind switch
        {
            JsonValueKind.String => Unquote(value.GetString()!),
            JsonValueKind.Object or JsonValueKind.Array => value.GetRawText(),
            _ => null,
        };
    }

    /// <summary>The queue message's id (the same across its retries); empty when the host gave none.</summary>
    public string MessageId =>
        Metadata.ValueKind == JsonValueKind.Object && Metadata.TryGetProperty("Id", out var id) && id.ValueKind == JsonValueKind.String
            ? Unquote(id.GetString()!)
            : "";

    /// <summary>How often this queue message has been delivered, 1 on its first delivery.</summary>
    public int DequeueCount
    {
        get
        {
            if (Metadata.ValueKind != JsonValueKind.Object || !Metadata.TryGetProperty(nameof(DequeueCount), out var count))
            {
                return 1;
            }
            if (count.ValueKind == JsonValueKind.Number && count.TryGetInt32(out var n))
            {
                return n;
            }
            return count.ValueKind == JsonValueKind.String
                && int.TryParse(Unquote(count.GetString()!), NumberStyles.None, CultureInfo.InvariantCulture, out n) ? n : 1;
        }
    }

    // The host may hand a string over JSON-encoded a second time ("\"text\"").
    private static string Unquote(string text)
    {
        if (text.Length >= 2 && text[0] == '"' && text[^1] == '"')
        {
            try
            {
                return JsonSerializer.Deserialize(text, InvocationJson.Default.String) ?? text;
            }
            catch (JsonException)
            {
                return text;
            }
        }
        return text;
    }
}

/// <summary>The answer the host expects: <c>{"Outputs": {...}, "Logs": [...], "ReturnValue": ...}</c>.</summary>
public sealed class InvocationResult
{
    public Dictionary<string, JsonNode?> Outputs { get; init; } = [];

    public List<string> Logs { get; init; } = [];

    public JsonNode? ReturnValue { get; init; }

    public static InvocationResult Log(string line) => new() { Logs = [line] };
}

/// <summary>The host's request body.</summary>
public sealed class InvocationRequest
{
    public JsonElement Data { get; init; }

    public JsonElement Metadata { get; init; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.Unspecified, PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(InvocationRequest))]
[JsonSerializable(typeof(InvocationResult))]
[JsonSerializable(typeof(FunctionJson))]
[JsonSerializable(typeof(string))]
internal sealed partial class InvocationJson : JsonSerializerContext;
