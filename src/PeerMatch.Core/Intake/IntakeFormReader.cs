using PeerMatch.Validation;

namespace PeerMatch.Intake;

/// <summary>
/// Reads an <c>application/x-www-form-urlencoded</c> intake: the HTML form posts this when
/// scripts are off. Lists come as repeated fields (checkboxes) or comma-separated text.
/// </summary>
public static class IntakeFormReader
{
    public static RawIntake Read(IEnumerable<KeyValuePair<string, string[]>> form, IntakeShape shape, ValidationErrors errors)
    {
        var raw = new RawIntake();
        foreach (var (field, values) in form)
        {
            var single = values.Length == 0 ? null : values[^1];
            switch (field)
            {
                case "name": raw.Name = single; break;
                case "email": raw.Email = single; break;
                case "models": raw.Models = List(values); break;
                case "region.country": raw.Country = single; raw.RegionGiven = true; break;
                case "region.subdivision": raw.Subdivision = single; raw.RegionGiven = true; break;
                case "region.city": raw.City = single; raw.RegionGiven = true; break;
                case "region.timeZone": raw.TimeZone = single; raw.RegionGiven = true; break;
                case "yearsExperience": raw.YearsExperience = Integer(single, field, errors); break;
                case "practiceAreas": raw.PracticeAreas = List(values); break;
                case "languages": raw.Languages = List(values); break;
                case "meeting": raw.Meeting = single; break;
                case "seeking": raw.Seeking = List(values); break;
                case "willingToConvene": raw.WillingToConvene = Checkbox(single, field, errors); break;
                case "bio": raw.Bio = single; break;
                case "consent": raw.Consent = Checkbox(single, field, errors); break;
                case "pausedUntil" when shape == IntakeShape.ProfileUpdate: raw.PausedUntil = single; break;
                default: errors.Add(field, "Unknown field."); break;
            }
        }
        // An unticked checkbox is simply absent from a form post.
        raw.WillingToConvene ??= false;
        return raw;
    }

    private static List<string> List(string[] values) =>
        values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();

    private static int? Integer(string? value, string field, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        if (int.TryParse(value.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }
        errors.Add(field, "Must be a whole number.");
        return null;
    }

    private static bool? Checkbox(string? value, string field, ValidationErrors errors)
    {
        switch (value?.Trim().ToLowerInvariant())
        {
            case null or "" or "false" or "off": return false;
            case "true" or "on" or "yes": return true;
            default: errors.Add(field, "Must be true or false."); return null;
        }
    }
}
