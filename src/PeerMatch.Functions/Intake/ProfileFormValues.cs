using System.Globalization;
using PeerMatch.Intake;
using PeerMatch.Places;
using PeerMatch.Practitioners;

namespace PeerMatch.Functions.Intake;

/// <summary>
/// The profile form's fields as a person filled them in, or as stored: what the form shows when it
/// comes back with errors, or when a practitioner opens their profile.
/// </summary>
public sealed record ProfileFormValues
{
    public string Name { get; init; } = "";
    public string Email { get; init; } = "";
    public IReadOnlyList<string> Models { get; init; } = [];
    public string Country { get; init; } = "";
    public string Subdivision { get; init; } = "";
    public string City { get; init; } = "";
    public string TimeZone { get; init; } = "";
    public string YearsExperience { get; init; } = "";
    public IReadOnlyList<string> PracticeAreas { get; init; } = [];
    public IReadOnlyList<string> Languages { get; init; } = [];
    public string Meeting { get; init; } = "";
    public IReadOnlyList<string> Seeking { get; init; } = [];
    public bool WillingToConvene { get; init; }
    public string Bio { get; init; } = "";
    public bool Consent { get; init; }
    public string PausedUntil { get; init; } = "";

    public static readonly ProfileFormValues Empty = new();

    /// <summary>The stored profile; a pause that has ended by <paramref name="today"/> shows as none.</summary>
    public static ProfileFormValues From(Practitioner practitioner, DateOnly today)
    {
        var p = practitioner.Profile;
        return new ProfileFormValues
        {
            Name = p.Name,
            Email = p.Email,
            Models = p.Models,
            Country = p.Region.Country,
            Subdivision = p.Region.Subdivision is { } code ? PlaceNames.SubdivisionLabel(code) : "",
            City = p.Region.City ?? "",
            TimeZone = p.Region.TimeZone,
            YearsExperience = p.YearsExperience.ToString(CultureInfo.InvariantCulture),
            PracticeAreas = p.PracticeAreas,
            Languages = p.Languages,
            Meeting = p.Meeting,
            Seeking = p.Seeking,
            WillingToConvene = p.WillingToConvene,
            Bio = p.Bio ?? "",
            // Given at sign-up; unticking it and saving is refused, erasing is the way out.
            Consent = true,
            PausedUntil = practitioner.PausedUntil > today ? practitioner.PausedUntil.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "",
        };
    }

    public static ProfileFormValues From(RawIntake raw) => new()
    {
        Name = raw.Name ?? "",
        Email = raw.Email ?? "",
        Models = raw.Models ?? [],
        Country = raw.Country?.Trim().ToUpperInvariant() ?? "",
        Subdivision = raw.Subdivision ?? "",
        City = raw.City ?? "",
        TimeZone = raw.TimeZone ?? "",
        YearsExperience = raw.YearsExperience?.ToString(CultureInfo.InvariantCulture) ?? "",
        PracticeAreas = raw.PracticeAreas ?? [],
        Languages = (raw.Languages ?? []).Select(PlaceNames.FindLanguage).OfType<string>().ToList(),
        Meeting = raw.Meeting ?? "",
        Seeking = raw.Seeking ?? [],
        WillingToConvene = raw.WillingToConvene ?? false,
        Bio = raw.Bio ?? "",
        Consent = raw.Consent ?? false,
        PausedUntil = raw.PausedUntil ?? "",
    };
}
