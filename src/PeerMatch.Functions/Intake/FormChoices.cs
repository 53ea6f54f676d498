using PeerMatch.Places;

namespace PeerMatch.Functions.Intake;

/// <summary>The long lists of the profile form, worked out once.</summary>
public static class FormChoices
{
    /// <summary>IANA time zones, as "America/Los Angeles".</summary>
    public static IReadOnlyList<Named> TimeZones { get; } = TimeZoneInfo.GetSystemTimeZones()
        .Where(z => z.HasIanaId)
        .Select(z => new Named(z.Id, z.Id.Replace('_', ' ')))
        .DistinctBy(z => z.Code)
        .OrderBy(z => z.Code, StringComparer.Ordinal)
        .ToList();

    /// <summary>The languages mediators here work in most, first; then every other by name.</summary>
    private static readonly string[] Common = ["en", "es", "fr", "de", "pt", "it", "nl", "ar", "zh", "ru", "pl", "tr"];

    public static IReadOnlyList<Named> Languages { get; } =
        Common.Select(code => new Named(code, PlaceNames.Language(code)))
            .Concat(PlaceNames.Languages.Where(l => !Common.Contains(l.Code)))
            .ToList();
}
