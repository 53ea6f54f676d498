using System.Globalization;
using System.Net.Mail;
using System.Text;
using System.Text.RegularExpressions;
using PeerMatch.Places;
using PeerMatch.Practitioners;
using PeerMatch.Validation;

namespace PeerMatch.Intake;

/// <summary>Every intake rule of the SPEC in one place; the server's answer is the truth, the form only hints.</summary>
public static partial class IntakeValidator
{
    public const int NameMaxLength = 100;
    public const int CityMaxLength = 100;
    public const int BioMaxLength = 1000;
    public const int EmailMaxLength = 254;

    public static Profile? Validate(RawIntake raw, ValidationErrors errors)
    {
        var name = Name(raw.Name, "name", NameMaxLength, required: true, errors);
        var email = Email(raw.Email, errors);
        var models = Choices(raw.Models, "models", ReferenceData.Models, min: 1, max: 3, errors);
        var region = RegionOf(raw, errors);
        var years = Years(raw.YearsExperience, errors);
        var areas = Choices(raw.PracticeAreas ?? [], "practiceAreas", ReferenceData.PracticeAreas, min: 0, max: ReferenceData.PracticeAreas.Count, errors);
        var languages = Languages(raw.Languages, errors);
        var meeting = Choice(raw.Meeting, "meeting", ReferenceData.MeetingPreferences, errors);
        var seeking = Choices(raw.Seeking, "seeking", ReferenceData.Seeking, min: 1, max: ReferenceData.Seeking.Count, errors);
        var bio = Text(raw.Bio, "bio", BioMaxLength, required: false, errors, multiline: true);
        if (raw.Consent != true && !errors.Has("consent"))
        {
            errors.Add("consent", "Consent is required: PeerMatch stores your profile and shares your name and reasons with suggested peers.");
        }

        if (!errors.IsEmpty)
        {
            return null;
        }
        return new Profile(name!, email!, models!, region!, years!.Value, areas!, languages!, meeting!, seeking!,
            raw.WillingToConvene ?? false, string.IsNullOrEmpty(bio) ? null : bio);
    }

    /// <summary><c>pausedUntil</c>: an ISO date (yyyy-MM-dd) after today and at most a year ahead, or empty to clear the pause.</summary>
    public static DateOnly? PausedUntil(string? value, DateOnly today, ValidationErrors errors)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            errors.Add("pausedUntil", "Must be a date written as yyyy-MM-dd.");
            return null;
        }
        if (date <= today)
        {
            errors.Add("pausedUntil", "Choose a date after today: suggestions start again on that day.");
            return null;
        }
        if (date > today.AddYears(1))
        {
            errors.Add("pausedUntil", "A pause can last at most a year.");
            return null;
        }
        return date;
    }


    /// <summary>One line of text (a name, a campaign's title): the same rules as the form's names.</summary>
    public static string? Line(string? value, string field, int maxLength, bool required, ValidationErrors errors) =>
        Text(value, field, maxLength, required, errors);

    /// <summary>
    /// A person's name: a <see cref="Line"/> with at least one letter that shows. Letters of every script, marks and
    /// emoji are welcome; a name of blank-looking letters (Hangul fillers, the blank Braille pattern) would greet
    /// nobody ("See ㅤ and answer").
    /// </summary>
    public static string? Name(string? value, string field, int maxLength, bool required, ValidationErrors errors)
    {
        var text = Text(value, field, maxLength, required, errors);
        if (text is not null && !text.EnumerateRunes().Any(r => Rune.IsLetter(r) && !IsBlankLooking(r)))
        {
            errors.Add(field, "Write a name with at least one letter.");
            return null;
        }
        return text;
    }

    /// <summary>Characters that are letters or symbols to Unicode but show as nothing.</summary>
    private static bool IsBlankLooking(Rune r) => r.Value is 0x115F or 0x1160 or 0x3164 or 0xFFA0 or 0x2800;

    /// <summary>Text that may run over several lines (a message): the same rules as the form's bio.</summary>
    public static string? Paragraphs(string? value, string field, int maxLength, bool required, ValidationErrors errors) =>
        Text(value, field, maxLength, required, errors, multiline: true);

    /// <summary>
    /// Trimmed text of at most <paramref name="maxLength"/> characters: letters of every script, but no control
    /// characters (a line break only where <paramref name="multiline"/>), no direction overrides and no invisible
    /// characters, which could disguise a name or break the line of an e-mail header.
    /// </summary>
    private static string? Text(string? value, string field, int maxLength, bool required, ValidationErrors errors, bool multiline = false)
    {
        var text = multiline ? value?.Replace("\r\n", "\n", StringComparison.Ordinal).Trim() : value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            if (required && !errors.Has(field))
            {
                errors.Add(field, "This field is required.");
            }
            return null;
        }
        if (text.Length > maxLength)
        {
            errors.Add(field, $"At most {maxLength} characters.");
            return null;
        }
        // Read as Unicode scalars, so that a letter beyond the first plane (𠮷, an emoji) is one character, not two halves.
        for (var i = 0; i < text.Length;)
        {
            // A lone surrogate is no character at all: refused as itself.
            var decoded = Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var length) == System.Buffers.OperationStatus.Done;
            var code = decoded ? rune.Value : text[i];
            if (!decoded || !Allowed(rune, multiline))
            {
                errors.Add(field, $"Contains a character that is not allowed here (U+{code:X4}): {(multiline ? "control characters" : "line breaks, control characters")}, direction marks and invisible characters.");
                return null;
            }
            i += length;
        }
        return text;
    }

    private static bool Allowed(Rune r, bool multiline) => Rune.GetUnicodeCategory(r) switch
    {
        UnicodeCategory.Control => multiline && r.Value == '\n',
        // Zero-width joiner and non-joiner shape letters in some scripts (and join emoji); every other format character
        // (direction overrides, zero-width spaces, byte-order marks) only hides things.
        UnicodeCategory.Format => r.Value is 0x200C or 0x200D,
        UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate
            or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned => false,
        _ => true,
    };

    public static string? Email(string? value, ValidationErrors errors)
    {
        var text = Text(value, "email", EmailMaxLength, required: true, errors);
        if (text is null)
        {
            return null;
        }
        var at = text.LastIndexOf('@');
        var domain = at > 0 ? text[(at + 1)..] : "";
        var written = at > 0 ? text[..(at + 1)] + domain.TrimEnd('.').ToLowerInvariant() : text;
        var valid = at > 0
            && !domain.EndsWith("..", StringComparison.Ordinal)
            && EmailAddresses.AsciiDomain(domain) is not null
            && EmailPattern().IsMatch(written)
            && MailAddress.TryCreate(written, out var address)
            && address.Address == written;
        if (!valid)
        {
            errors.Add("email", "Enter an e-mail address like name@example.org.");
            return null;
        }
        return written;
    }

    private static Region? RegionOf(RawIntake raw, ValidationErrors errors)
    {
        if (!raw.RegionGiven)
        {
            if (!errors.Has("region"))
            {
                errors.Add("region", "This field is required.");
            }
            return null;
        }

        var country = raw.Country?.Trim().ToUpperInvariant();
        if (string.IsNullOrEmpty(country))
        {
            AddOnce(errors, "region.country", "This field is required.");
        }
        else if (!PlaceNames.IsCountry(country))
        {
            errors.Add("region.country", "Choose a country from the list (or send an ISO 3166-1 code, such as US or DE).");
            country = null;
        }

        var subdivision = Subdivision(raw.Subdivision, country, errors);

        var city = Text(raw.City, "region.city", CityMaxLength, required: false, errors);
        var timeZone = TimeZoneId(raw.TimeZone, errors);
        if (errors.Has("region.country") || errors.Has("region.subdivision") || errors.Has("region.city") || errors.Has("region.timeZone"))
        {
            return null;
        }
        return new Region(country!, subdivision, city, timeZone!);
    }

    /// <summary>A state, province or region of the country, by its name ("Brandenburg") or its ISO 3166-2 code ("DE-BB"); optional.</summary>
    private static string? Subdivision(string? value, string? country, ValidationErrors errors)
    {
        var text = Text(value, "region.subdivision", CityMaxLength, required: false, errors);
        if (text is null || country is null)
        {
            return null;
        }
        if (PlaceNames.FindSubdivision(country, text) is { } code)
        {
            return code;
        }
        var known = PlaceNames.SubdivisionsOf(country);
        errors.Add("region.subdivision", known.Count == 0
            ? $"{PlaceNames.Country(country)} has no states or regions to choose from: leave this empty."
            : $"We do not know a state, province or region called “{text}” in {PlaceNames.Country(country)}. Leave it empty, or write one as it is officially named, such as {string.Join(", ", known.Take(3).Select(k => k.Name))}.");
        return null;
    }

    private static string? TimeZoneId(string? value, ValidationErrors errors)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            AddOnce(errors, "region.timeZone", "This field is required.");
            return null;
        }
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(text, out var zone) || !zone.HasIanaId || text.Length > 64)
        {
            errors.Add("region.timeZone", "Must be an IANA time zone, such as America/Los_Angeles.");
            return null;
        }
        return text;
    }

    private static int? Years(int? value, ValidationErrors errors)
    {
        if (value is null)
        {
            AddOnce(errors, "yearsExperience", "This field is required.");
            return null;
        }
        if (value is < 0 or > 60)
        {
            errors.Add("yearsExperience", "Must be between 0 and 60.");
            return null;
        }
        return value;
    }

    /// <summary>Languages by two-letter code or by name ("de", "German"); kept as ISO 639-1 codes.</summary>
    private static List<string>? Languages(List<string>? values, ValidationErrors errors)
    {
        var given = values?.Select(v => v.Trim()).Where(v => v.Length > 0).ToList();
        if (given is null || given.Count == 0)
        {
            AddOnce(errors, "languages", "Choose at least one language.");
            return null;
        }
        var unknown = given.Where(v => PlaceNames.FindLanguage(v) is null).ToList();
        if (unknown.Count > 0)
        {
            errors.Add("languages", $"We do not know {(unknown.Count == 1 ? "this language" : "these languages")}: {string.Join(", ", unknown)}. Choose from the list, or write two-letter codes such as en or de.");
            return null;
        }
        var codes = given.Select(v => PlaceNames.FindLanguage(v)!).ToList();
        if (codes.Distinct().Count() != codes.Count)
        {
            errors.Add("languages", "Each language once.");
            return null;
        }
        if (codes.Count > 10)
        {
            errors.Add("languages", "At most 10 languages.");
            return null;
        }
        return codes;
    }

    private static string? Choice(string? value, string field, IReadOnlyList<string> allowed, ValidationErrors errors)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            AddOnce(errors, field, "This field is required.");
            return null;
        }
        if (!allowed.Contains(text))
        {
            errors.Add(field, $"Must be one of: {string.Join(", ", allowed)}.");
            return null;
        }
        return text;
    }

    private static List<string>? Choices(List<string>? values, string field, IReadOnlyList<string> allowed, int min, int max, ValidationErrors errors)
    {
        var chosen = values?.Select(v => v.Trim()).Where(v => v.Length > 0).ToList();
        if (chosen is not null && chosen.Distinct().Count() != chosen.Count)
        {
            errors.Add(field, "Each value once.");
            return null;
        }
        if (chosen is null || chosen.Count < min)
        {
            AddOnce(errors, field, min == 1 ? "Choose at least one." : $"Choose at least {min}.");
            return null;
        }
        var unknown = chosen.Where(v => !allowed.Contains(v)).ToList();
        if (unknown.Count > 0)
        {
            errors.Add(field, $"Unknown values: {string.Join(", ", unknown)}. Allowed: {string.Join(", ", allowed)}.");
            return null;
        }
        if (chosen.Count > max)
        {
            errors.Add(field, $"Choose at most {max}.");
            return null;
        }
        return chosen;
    }

    // A type error already reported for the field says more than "required".
    private static void AddOnce(ValidationErrors errors, string field, string message)
    {
        if (!errors.Has(field))
        {
            errors.Add(field, message);
        }
    }

    [GeneratedRegex(@"^[^\s@]+@[^\s@]+\.[^\s@]+$")]
    private static partial Regex EmailPattern();
}
