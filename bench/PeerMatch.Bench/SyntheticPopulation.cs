using PeerMatch.Matching;
using PeerMatch.Practitioners;

namespace PeerMatch.Bench;

/// <summary>
/// A made-up population of practitioners with a plausible spread of places, models, experience and
/// wishes. Each person also has a hidden interest (written into most bios, never given to the ranker
/// as such) that the hidden preference function rewards.
/// </summary>
public sealed class SyntheticPopulation
{
    private static readonly (string Country, string? Subdivision, string City, string TimeZone, string[] Languages, double Weight)[] Places =
    [
        ("US", "US-CA", "Oakland", "America/Los_Angeles", ["en"], 9), ("US", "US-CA", "Los Angeles", "America/Los_Angeles", ["en", "es"], 7),
        ("US", "US-WA", "Seattle", "America/Los_Angeles", ["en"], 3), ("US", "US-NY", "New York", "America/New_York", ["en"], 9),
        ("US", "US-MA", "Boston", "America/New_York", ["en"], 4), ("US", "US-IL", "Chicago", "America/Chicago", ["en"], 5),
        ("US", "US-TX", "Austin", "America/Chicago", ["en", "es"], 5), ("US", "US-CO", "Denver", "America/Denver", ["en"], 3),
        ("CA", "CA-ON", "Toronto", "America/Toronto", ["en"], 5), ("CA", "CA-QC", "Montréal", "America/Toronto", ["fr", "en"], 3),
        ("CA", "CA-BC", "Vancouver", "America/Vancouver", ["en"], 3), ("GB", "GB-ENG", "London", "Europe/London", ["en"], 8),
        ("GB", "GB-SCT", "Edinburgh", "Europe/London", ["en"], 2), ("IE", null, "Dublin", "Europe/Dublin", ["en"], 2),
        ("DE", "DE-BY", "München", "Europe/Berlin", ["de", "en"], 4), ("DE", "DE-BE", "Berlin", "Europe/Berlin", ["de", "en"], 4),
        ("ES", "ES-MD", "Madrid", "Europe/Madrid", ["es"], 3), ("ES", "ES-CT", "Barcelona", "Europe/Madrid", ["es", "en"], 3),
        ("FR", null, "Paris", "Europe/Paris", ["fr"], 3), ("NL", null, "Amsterdam", "Europe/Amsterdam", ["nl", "en"], 2),
        ("ZA", null, "Cape Town", "Africa/Johannesburg", ["en"], 2), ("IN", null, "Bengaluru", "Asia/Kolkata", ["en"], 3),
        ("AU", "AU-NSW", "Sydney", "Australia/Sydney", ["en"], 4), ("AU", "AU-VIC", "Melbourne", "Australia/Melbourne", ["en"], 3),
        ("NZ", null, "Wellington", "Pacific/Auckland", ["en"], 1), ("MX", null, "Ciudad de México", "America/Mexico_City", ["es"], 2),
    ];

    private static readonly (string Model, double Weight)[] Models =
    [
        ("facilitative", 30), ("understanding-based", 15), ("transformative", 15), ("evaluative", 12),
        ("narrative", 8), ("insight", 5), ("collaborative", 10), ("other", 5),
    ];

    /// <summary>Hidden interests, each with the words a bio about it uses.</summary>
    public static readonly string[][] Interests =
    [
        ["restorative", "circles", "harm", "repair"], ["elder", "caregiving", "siblings", "inheritance"],
        ["workplace", "harassment", "teams", "managers"], ["divorce", "coparenting", "children", "parenting"],
        ["neighbour", "community", "housing", "tenants"], ["schools", "students", "peer", "teachers"],
        ["trauma", "informed", "safety", "grief"], ["commercial", "contracts", "business", "partnerships"],
        ["healthcare", "clinicians", "patients", "hospital"], ["environmental", "land", "water", "planning"],
    ];

    public required IReadOnlyList<Candidate> People { get; init; }

    /// <summary>The hidden interest of each person, by id: what the hidden preference rewards.</summary>
    public required IReadOnlyDictionary<string, int> Interest { get; init; }

    /// <summary><paramref name="count"/> people; each seeks a peer group with probability <paramref name="peerGroupShare"/> (the same draws whatever it is).</summary>
    public static SyntheticPopulation Generate(int count, int seed, double peerGroupShare = 0.7)
    {
        var random = new Random(seed);
        var people = new List<Candidate>(count);
        var interest = new Dictionary<string, int>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var place = Pick(random, Places, p => p.Weight);
            var years = random.NextDouble() switch { < 0.3 => random.Next(0, 4), < 0.7 => random.Next(4, 13), _ => random.Next(13, 36) };
            var modelCount = random.NextDouble() switch { < 0.6 => 1, < 0.9 => 2, _ => 3 };
            var models = Enumerable.Range(0, 6).Select(_ => Pick(random, Models, m => m.Weight).Model).Distinct().Take(modelCount).ToList();
            var languages = place.Languages.ToList();
            if (random.NextDouble() < 0.15 && !languages.Contains("es"))
            {
                languages.Add("es");
            }
            var seeking = new List<string>();
            void Maybe(string what, double p) { if (random.NextDouble() < p) { seeking.Add(what); } }
            Maybe("peer-group", peerGroupShare);
            Maybe("case-consultation", 0.5);
            Maybe("looping-practice", 0.3);
            Maybe("co-mediation", 0.2);
            Maybe("business-development", 0.2);
            if (years <= 4) { Maybe("mentor", 0.6); }
            if (years >= 12) { Maybe("mentee", 0.35); }
            if (seeking.Count == 0) { seeking.Add("peer-group"); }
            var areas = Enumerable.Range(0, random.Next(1, 4)).Select(_ => ReferenceData.PracticeAreas[random.Next(ReferenceData.PracticeAreas.Count - 1)]).Distinct().ToList();
            var topic = random.Next(Interests.Length);
            var id = $"p{i:D6}";
            interest[id] = topic;
            var profile = new Profile(
                $"{FirstNames[random.Next(FirstNames.Length)]} {LastNames[random.Next(LastNames.Length)]}",
                $"{id}@example.org",
                models,
                new Region(place.Country, place.Subdivision, place.City, place.TimeZone),
                years,
                areas,
                languages,
                random.NextDouble() switch { < 0.25 => "in-person", < 0.6 => "online", _ => "either" },
                seeking,
                random.NextDouble() < (years > 10 ? 0.5 : 0.15),
                Bio(random, topic, models[0], areas[0]));
            people.Add(new Candidate(id, profile));
        }
        return new SyntheticPopulation { People = people, Interest = interest };
    }

    private static string Bio(Random random, int topic, string model, string area)
    {
        var words = Interests[topic];
        var text = $"I practise {model} mediation, mostly {area} cases.";
        if (random.NextDouble() < 0.75)
        {
            text += $" Lately much of my work involves {words[random.Next(words.Length)]} and {words[random.Next(words.Length)]}, and I want to talk about {words[random.Next(words.Length)]} with peers.";
        }
        if (random.NextDouble() < 0.5)
        {
            text += " I value looping and careful listening.";
        }
        return text;
    }

    private static T Pick<T>(Random random, IReadOnlyList<T> items, Func<T, double> weight)
    {
        var total = items.Sum(weight);
        var roll = random.NextDouble() * total;
        foreach (var item in items)
        {
            roll -= weight(item);
            if (roll <= 0)
            {
                return item;
            }
        }
        return items[^1];
    }

    private static readonly string[] FirstNames = ["Ada", "Bea", "Carlos", "Dana", "Emeka", "Fatima", "Greta", "Hiro", "Ines", "Jonas", "Kemi", "Luis", "Maya", "Nils", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tara"];
    private static readonly string[] LastNames = ["Example", "Okafor", "García", "Schmidt", "Nguyen", "Patel", "Dubois", "Kowalski", "Smith", "Rossi", "Tanaka", "Silva"];
}
