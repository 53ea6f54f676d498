using System.Collections.Frozen;

namespace PeerMatch.Functions.Intake;

/// <summary>What a person reads for a field a problem names ("region.country" → "Country"), and where the field is on the page.</summary>
public static class FieldLabels
{
    private static readonly FrozenDictionary<string, string> Labels = new Dictionary<string, string>
    {
        ["name"] = "Your name",
        ["email"] = "E-mail address",
        ["models"] = "Mediation models",
        ["region"] = "Where you work",
        ["region.country"] = "Country",
        ["region.subdivision"] = "State, province or region",
        ["region.city"] = "City",
        ["region.timeZone"] = "Time zone",
        ["yearsExperience"] = "Years of experience",
        ["practiceAreas"] = "Practice areas",
        ["languages"] = "Languages",
        ["meeting"] = "How you would like to meet",
        ["seeking"] = "What you are looking for",
        ["willingToConvene"] = "Convening a group",
        ["bio"] = "About your practice",
        ["consent"] = "Consent",
        ["pausedUntil"] = "Pause until",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static string For(string field) => Labels.GetValueOrDefault(field, "The form");

    /// <summary>The id of the field's element on the form: "region.country" → "region-country".</summary>
    public static string Anchor(string field) => Labels.ContainsKey(field) ? field.Replace('.', '-') : "profile-form";
}
