namespace PeerMatch.Intake;

/// <summary>
/// The intake body as it arrived, before validation: JSON and form posts both read into this shape,
/// so one validator holds every rule.
/// </summary>
public sealed class RawIntake
{
    public string? Name { get; set; }
    public string? Email { get; set; }
    public List<string>? Models { get; set; }
    public bool RegionGiven { get; set; }
    public string? Country { get; set; }
    public string? Subdivision { get; set; }
    public string? City { get; set; }
    public string? TimeZone { get; set; }
    public int? YearsExperience { get; set; }
    public List<string>? PracticeAreas { get; set; }
    public List<string>? Languages { get; set; }
    public string? Meeting { get; set; }
    public List<string>? Seeking { get; set; }
    public bool? WillingToConvene { get; set; }
    public string? Bio { get; set; }
    public bool? Consent { get; set; }

    /// <summary>Only accepted when a practitioner updates their own profile.</summary>
    public string? PausedUntil { get; set; }
}

/// <summary>Which optional fields a body may carry besides the intake fields.</summary>
public enum IntakeShape
{
    /// <summary><c>POST /api/practitioners</c>.</summary>
    NewIntake,

    /// <summary><c>PUT /api/me</c>: the intake body plus <c>pausedUntil</c>.</summary>
    ProfileUpdate,
}
