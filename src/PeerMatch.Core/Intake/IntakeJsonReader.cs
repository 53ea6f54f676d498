using System.Text.Json;
using PeerMatch.Validation;

namespace PeerMatch.Intake;

/// <summary>
/// Reads a JSON intake body field by field, so that a wrong type or an unknown field becomes a
/// message on that field rather than a blanket "bad JSON".
/// </summary>
public static class IntakeJsonReader
{
    public static RawIntake Read(JsonElement root, IntakeShape shape, ValidationErrors errors)
    {
        var raw = new RawIntake();
        if (root.ValueKind != JsonValueKind.Object)
        {
            errors.Add("$", "The body must be a JSON object.");
            return raw;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            var field = property.Name;
            var value = property.Value;
            if (!seen.Add(field))
            {
                errors.Add(field, "This field appears more than once.");
                continue;
            }

            switch (field)
            {
                case "name": raw.Name = String(value, field, errors); break;
                case "email": raw.Email = String(value, field, errors); break;
                case "models": raw.Models = StringList(value, field, errors); break;
                case "region": ReadRegion(value, raw, errors); break;
                case "yearsExperience": raw.YearsExperience = Integer(value, field, errors); break;
                case "practiceAreas": raw.PracticeAreas = StringList(value, field, errors); break;
                case "languages": raw.Languages = StringList(value, field, errors); break;
                case "meeting": raw.Meeting = String(value, field, errors); break;
                case "seeking": raw.Seeking = StringList(value, field, errors); break;
                case "willingToConvene": raw.WillingToConvene = Boolean(value, field, errors); break;
                case "bio": raw.Bio = String(value, field, errors); break;
                case "consent": raw.Consent = Boolean(value, field, errors); break;
                case "pausedUntil" when shape == IntakeShape.ProfileUpdate: raw.PausedUntil = String(value, field, errors); break;
                default: errors.Add(field, "Unknown field."); break;
            }
        }
        return raw;
    }

    private static void ReadRegion(JsonElement value, RawIntake raw, ValidationErrors errors)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return;
        }
        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add("region", "Must be an object with country, subdivision, city and timeZone.");
            return;
        }

        raw.RegionGiven = true;
        foreach (var property in value.EnumerateObject())
        {
            var field = "region." + property.Name;
            switch (property.Name)
            {
                case "country": raw.Country = String(property.Value, field, errors); break;
                case "subdivision": raw.Subdivision = String(property.Value, field, errors); break;
                case "city": raw.City = String(property.Value, field, errors); break;
                case "timeZone": raw.TimeZone = String(property.Value, field, errors); break;
                default: errors.Add(field, "Unknown field."); break;
            }
        }
    }

    private static string? String(JsonElement value, string field, ValidationErrors errors)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String: return value.GetString();
            case JsonValueKind.Null: return null;
            default: errors.Add(field, "Must be a string."); return null;
        }
    }

    private static List<string>? StringList(JsonElement value, string field, ValidationErrors errors)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(item => item.ValueKind != JsonValueKind.String))
        {
            errors.Add(field, "Must be an array of strings.");
            return null;
        }
        return value.EnumerateArray().Select(item => item.GetString()!).ToList();
    }

    private static int? Integer(JsonElement value, string field, ValidationErrors errors)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number))
        {
            return number;
        }
        errors.Add(field, "Must be a whole number.");
        return null;
    }

    private static bool? Boolean(JsonElement value, string field, ValidationErrors errors)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.True: return true;
            case JsonValueKind.False: return false;
            case JsonValueKind.Null: return null;
            default: errors.Add(field, "Must be true or false."); return null;
        }
    }
}
