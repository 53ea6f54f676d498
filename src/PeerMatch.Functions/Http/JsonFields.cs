using System.Text.Json;
using PeerMatch.Validation;

namespace PeerMatch.Functions.Http;

/// <summary>Optional fields of a JSON body, each wrong kind of value named in <see cref="ValidationErrors"/>.</summary>
public static class JsonFields
{
    public static bool Flag(JsonElement body, string name, ValidationErrors errors)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return false;
        }
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }
        errors.Add(name, "Must be true or false.");
        return false;
    }

    public static string? Text(JsonElement body, string name, ValidationErrors errors)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(name, "Must be a string.");
            return null;
        }
        var text = value.GetString()!.Trim();
        return text.Length == 0 ? null : text;
    }
}
