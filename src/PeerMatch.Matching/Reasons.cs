using PeerMatch.Places;
using PeerMatch.Practitioners;

namespace PeerMatch.Matching;

/// <summary>
/// Why <c>b</c> is suggested to <c>a</c>, in words for <c>a</c>: two to four reasons, strongest first,
/// each drawn from a pair feature that scored.
/// </summary>
public static class Reasons
{
    private static readonly HashSet<string> CommonWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "mediation", "mediator", "mediators", "practice", "practise", "years", "people", "parties", "conflict", "conflicts",
        "work", "working", "about", "their", "there", "which", "would", "other", "these", "those", "where", "while", "being",
    };

    public static IReadOnlyList<string> For(MatchProfile a, MatchProfile b)
    {
        var reasons = new List<(double Strength, string Text)>();
        var peer = FirstName(b.Profile.Name);

        var sharedModels = a.Profile.Models.Intersect(b.Profile.Models).Where(m => m != "other").ToList();
        if (sharedModels.Count > 0)
        {
            reasons.Add((3 + sharedModels.Count, $"both practise {JoinAnd(sharedModels.Select(ReferenceData.InSentence))} mediation"));
        }

        if (WhereToMeet(a, b) is { } place)
        {
            reasons.Add(place);
        }
        if (Experience(a, b, peer) is { } experience)
        {
            reasons.Add(experience);
        }

        var areas = a.Profile.PracticeAreas.Intersect(b.Profile.PracticeAreas).Where(x => x != "other").Take(2).ToList();
        if (areas.Count > 0)
        {
            reasons.Add((1.8 + areas.Count * 0.2, $"both work in {JoinAnd(areas.Select(ReferenceData.InSentence))} mediation"));
        }

        var seeking = a.Profile.Seeking.Intersect(b.Profile.Seeking).Where(s => s is not ("mentor" or "mentee")).Take(2).ToList();
        if (seeking.Count > 0)
        {
            reasons.Add((1.6, $"both looking for {JoinAnd(seeking.Select(ReferenceData.InSentence))}"));
        }

        if (b.Profile.WillingToConvene && a.Seeks("peer-group"))
        {
            reasons.Add((1.4, $"{peer} is willing to convene a peer group"));
        }

        var languages = a.Profile.Languages.Intersect(b.Profile.Languages).Where(l => l != "en").Take(2).ToList();
        if (languages.Count > 0)
        {
            reasons.Add((1.2, $"both speak {JoinAnd(languages.Select(PlaceNames.Language))}"));
        }

        if (SharedWord(a.Profile.Bio, b.Profile.Bio) is { } word)
        {
            reasons.Add((1.3, $"both mention “{word}”"));
        }

        var chosen = reasons.OrderByDescending(r => r.Strength).Take(4).Select(r => r.Text).ToList();
        if (chosen.Count < 2)
        {
            chosen.Add(PairFeatures.CanMeetInPerson(a, b) ? "you could meet in person" : "you share a language and working hours");
        }
        return chosen;
    }

    /// <summary>How the two can meet: the same city, the same region (when the distance is not known), how far apart, or the working hours they share online.</summary>
    private static (double Strength, string Text)? WhereToMeet(MatchProfile a, MatchProfile b)
    {
        if (PairFeatures.CanMeetInPerson(a, b))
        {
            var city = a.Profile.Region.City;
            if (city is not null && string.Equals(city, b.Profile.Region.City, StringComparison.OrdinalIgnoreCase) && a.Profile.Region.Country == b.Profile.Region.Country)
            {
                return (2.8, $"both in {city}");
            }
            // Between two cities the distance is known; between the middles of regions it is not, and a shared region says more.
            if (!(a.Place is { IsCity: true } && b.Place is { IsCity: true })
                && a.Profile.Region.Subdivision is { } subdivision && subdivision == b.Profile.Region.Subdivision)
            {
                return (2.5, $"both in {PlaceNames.Subdivision(subdivision)}, {PlaceNames.Country(a.Profile.Region.Country)}");
            }
            return PairFeatures.DistanceKm(a, b) is { } km ? (2.5 - km / 150, $"about {Math.Max(10, Math.Round(km / 10) * 10):0} km apart") : null;
        }
        if (PairFeatures.CanMeetOnline(a, b))
        {
            var hours = PairFeatures.SharedWorkingHours(a, b);
            return (1 + hours / 9, hours >= 9 ? "same working hours, for meeting online" : $"{hours:0} hours of shared working time, for meeting online");
        }
        return null;
    }

    /// <summary>A mentor and someone who seeks one, or peers of like experience.</summary>
    private static (double Strength, string Text)? Experience(MatchProfile a, MatchProfile b, string peer)
    {
        if (PairFeatures.MentorFit(a, b))
        {
            return (3.5, a.Seeks("mentor")
                ? $"{peer} has {b.Years} years of experience and is open to mentoring"
                : $"{peer} is looking for a mentor with your experience");
        }
        return Math.Abs(a.Years - b.Years) <= 3 ? (1.5, $"similar experience ({a.Years} and {b.Years} years)") : null;
    }

    public static string FirstName(string name) => name.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [var first, ..] ? first : name;

    private static string? SharedWord(string? a, string? b)
    {
        if (string.IsNullOrEmpty(a) || string.IsNullOrEmpty(b))
        {
            return null;
        }
        var words = Words(b).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return Words(a).Where(words.Contains).OrderByDescending(w => w.Length).FirstOrDefault();
    }

    private static IEnumerable<string> Words(string text) =>
        text.Split((char[])[' ', ',', '.', ';', ':', '!', '?', '(', ')', '"', '\'', '\n', '\r', '\t', '/'], StringSplitOptions.RemoveEmptyEntries)
            .Select(w => w.ToLowerInvariant())
            .Where(w => w.Length >= 6 && !CommonWords.Contains(w));

    private static string JoinAnd(IEnumerable<string> items)
    {
        var list = items.ToList();
        return list.Count <= 1 ? string.Concat(list) : string.Join(", ", list.Take(list.Count - 1)) + " and " + list[^1];
    }
}
