using System.Globalization;
using System.Reflection;
using System.Text;
using PeerMatch.Intake;
using static System.Net.WebUtility;

namespace PeerMatch.Functions.Intake;

/// <summary>
/// The intake form: one HTML page (embedded <c>intake.html</c>) with the vocabularies filled in once.
/// It posts form-encoded without scripts; with scripts it sends JSON, shows the server's per-field
/// errors in place, and doubles as the profile editor (<c>?token=</c>).
/// </summary>
public sealed class IntakeForm
{
    public IntakeForm()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("PeerMatch.Functions.Intake.intake.html")
            ?? throw new InvalidOperationException("intake.html is not embedded.");
        using var reader = new StreamReader(stream);
        Html = reader.ReadToEnd()
            .Replace("{{models}}", Choices("models", "checkbox", ReferenceData.Models), StringComparison.Ordinal)
            .Replace("{{practiceAreas}}", Choices("practiceAreas", "checkbox", ReferenceData.PracticeAreas), StringComparison.Ordinal)
            .Replace("{{seeking}}", Choices("seeking", "checkbox", ReferenceData.Seeking), StringComparison.Ordinal)
            .Replace("{{meeting}}", Choices("meeting", "radio", ReferenceData.MeetingPreferences), StringComparison.Ordinal)
            .Replace("{{countries}}", Options(Countries()), StringComparison.Ordinal)
            .Replace("{{timeZones}}", Options(TimeZones()), StringComparison.Ordinal)
            .Replace("{{styles}}", Http.Pages.Styles, StringComparison.Ordinal)
            .Replace("{{practitionersPath}}", PeerMatch.Links.Routes.Path(PeerMatch.Links.Routes.Practitioners), StringComparison.Ordinal)
            .Replace("{{mePath}}", PeerMatch.Links.Routes.Path(PeerMatch.Links.Routes.Me), StringComparison.Ordinal);
    }

    public string Html { get; }

    /// <summary>"understanding-based" → "Understanding-based", "looping-practice" → "Looping practice".</summary>
    public static string Label(string value)
    {
        var words = value == "understanding-based" ? value : value.Replace('-', ' ');
        return char.ToUpperInvariant(words[0]) + words[1..];
    }

    private static string Choices(string name, string type, IEnumerable<string> values)
    {
        var html = new StringBuilder();
        foreach (var value in values)
        {
            var id = $"{name}-{value}";
            html.Append(CultureInfo.InvariantCulture,
                $"""<div class="choice"><input type="{type}" id="{id}" name="{name}" value="{HtmlEncode(value)}"><label for="{id}">{HtmlEncode(Label(value))}</label></div>""");
            html.AppendLine();
        }
        return html.ToString();
    }

    private static string Options(IEnumerable<(string Value, string Text)> options) =>
        string.Concat(options.Select(o => $"""<option value="{HtmlEncode(o.Value)}">{HtmlEncode(o.Text)}</option>""" + "\n"));

    private static IEnumerable<(string, string)> Countries() =>
        ReferenceData.CountryCodes
            .Select(code => (code, $"{CountryName(code)} ({code})"))
            .OrderBy(c => c.Item2, StringComparer.CurrentCulture);

    private static string CountryName(string code)
    {
        try
        {
            var name = new RegionInfo(code).EnglishName;
            return string.IsNullOrEmpty(name) ? code : name;
        }
        catch (ArgumentException)
        {
            return code;
        }
    }

    private static IEnumerable<(string, string)> TimeZones() =>
        TimeZoneInfo.GetSystemTimeZones()
            .Where(z => z.HasIanaId)
            .Select(z => (z.Id, z.Id.Replace('_', ' ')))
            .Distinct()
            .OrderBy(z => z.Item1, StringComparer.Ordinal);
}
