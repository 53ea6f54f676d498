using PeerMatch.Matching;
using PeerMatch.Practitioners;

namespace PeerMatch.Tests.Matching;

/// <summary>Hand-made practitioners for matching tests: a sensible default, changed where a test needs it.</summary>
internal static class People
{
    public static Candidate Person(
        string id,
        string[]? models = null,
        string country = "US",
        string? subdivision = "US-CA",
        string? city = "Oakland",
        string timeZone = "America/Los_Angeles",
        int years = 7,
        string meeting = "either",
        string[]? languages = null,
        string[]? seeking = null,
        string[]? areas = null,
        bool convenes = false,
        string? bio = null) =>
        new(id, new Profile(
            $"{id} Example",
            $"{id}@example.org",
            models ?? ["understanding-based"],
            new Region(country, subdivision, city, timeZone),
            years,
            areas ?? ["family"],
            languages ?? ["en"],
            meeting,
            seeking ?? ["peer-group"],
            convenes,
            bio));

    public static readonly DateTimeOffset Monday = new(2026, 11, 30, 16, 0, 0, TimeSpan.Zero);

    public static MatchPlan Plan(IReadOnlyList<Candidate> people, IEnumerable<(string, string)>? excluded = null, IEnumerable<(string, string)>? groupmates = null) =>
        new MatchPlanner(PriorScorer.Instance).Plan(people, excluded ?? [], Monday, groupmates: groupmates);
}
