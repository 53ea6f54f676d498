namespace PeerMatch.Practitioners;

public sealed record Region(string Country, string? Subdivision, string? City, string TimeZone);

/// <summary>What a practitioner tells PeerMatch about themselves: the validated intake body.</summary>
public sealed record Profile(
    string Name,
    string Email,
    IReadOnlyList<string> Models,
    Region Region,
    int YearsExperience,
    IReadOnlyList<string> PracticeAreas,
    IReadOnlyList<string> Languages,
    string Meeting,
    IReadOnlyList<string> Seeking,
    bool WillingToConvene,
    string? Bio)
{
    /// <summary>The same details, list by list (a record's own equality compares the lists by reference).</summary>
    public bool HasSameDetails(Profile other) =>
        Name == other.Name && Email == other.Email && Region == other.Region && YearsExperience == other.YearsExperience
        && Meeting == other.Meeting && WillingToConvene == other.WillingToConvene && Bio == other.Bio
        && Models.SequenceEqual(other.Models) && PracticeAreas.SequenceEqual(other.PracticeAreas)
        && Languages.SequenceEqual(other.Languages) && Seeking.SequenceEqual(other.Seeking);
}

public enum PractitionerStatus
{
    /// <summary>Signed up, e-mail address not yet confirmed: never matched, never mailed but for the confirmation.</summary>
    PendingConfirmation,
    Active,
}

/// <summary>
/// A practitioner as stored: the profile plus what PeerMatch keeps about its life cycle
/// (<see cref="LinkSentAt"/>: when the last confirmation or profile link went to the address).
/// </summary>
public sealed record Practitioner(
    string Id,
    Profile Profile,
    PractitionerStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? ConfirmedAt,
    DateOnly? PausedUntil,
    DateTimeOffset? LinkSentAt = null)
{
    public static string NewId() => Guid.NewGuid().ToString("N");
}
