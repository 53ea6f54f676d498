using PeerMatch.Matching;

namespace PeerMatch.Bench;

/// <summary>
/// A hidden preference of one kind: how likely <c>a</c> says yes to <c>b</c>. The learning evaluation answers from it; the
/// engine sees only the answers.
/// </summary>
public interface IHiddenPreference
{
    string Name { get; }

    double Acceptance(MatchProfile a, MatchProfile b);
}

/// <summary>
/// Hidden preferences of different kinds, each written so that the engine's own prior does not already encode it: an
/// evaluation on them cannot flatter the engine. Every family shares a mild base (a shared model helps, being unable
/// to meet well hurts) so that answers are not pure noise, and adds what its people really want.
/// </summary>
public static class PreferenceFamilies
{
    public static IReadOnlyList<IHiddenPreference> All(SyntheticPopulation population) =>
    [
        new Family("directional", population, (a, b, _) =>
            // People look up: a peer with more years than oneself is wanted, one with fewer is not, whatever one seeks.
            Math.Clamp((b.Years - a.Years) / 6.0, -1.5, 1.5)),
        new Family("seeker-type", population, (a, b, _) =>
            // What each kind of seeker looks for, beyond the prior's guess.
            (a.Seeks("mentor") ? (b.Years - a.Years >= 10 ? 2.2 : -1.0) : 0)
            + (a.Seeks("case-consultation") ? 0.8 * a.Profile.PracticeAreas.Intersect(b.Profile.PracticeAreas).Count() - 0.4 : 0)
            + (a.Seeks("business-development") ? (b.Seeks("business-development") ? 1.6 : -0.6) : 0)
            + (a.Seeks("peer-group") ? (b.Profile.WillingToConvene ? 1.2 : -0.3) : 0)),
        new Family("bio-topic", population, (a, b, p) =>
            // A shared concern that only the bios' words reveal.
            p.Interest[a.Id] == p.Interest[b.Id] ? 2.4 : -0.5),
        new Family("distance-tolerance", population, (a, b, p) =>
        {
            // Each person has their own tolerance: some meet only within a city, others anywhere in a time zone.
            var tolerance = Tolerances[(int)(Hash(a.Id) % (uint)Tolerances.Length)];
            var km = PairFeatures.DistanceKm(a, b) ?? 5_000;
            return km <= tolerance ? 1.2 : -1.8;
        }),
        new Family("noise", population, (a, b, _) =>
            // Mostly taste nobody can see (a fixed draw per pair), with a little that can be learned.
            2.5 * (Hash(a.Id + "|" + b.Id) / (double)uint.MaxValue - 0.5) + 0.5 * Math.Clamp((b.Years - a.Years) / 10.0, -1, 1)),
    ];

    private static readonly double[] Tolerances = [25, 60, 150, 600, 3_000];

    private sealed class Family(string name, SyntheticPopulation population, Func<MatchProfile, MatchProfile, SyntheticPopulation, double> wants) : IHiddenPreference
    {
        public string Name { get; } = name;

        public double Acceptance(MatchProfile a, MatchProfile b)
        {
            var u = -1.2;
            if ((a.Models & b.Models) != 0)
            {
                u += 0.6;
            }
            if (!PairFeatures.CanMeet(a, b))
            {
                u -= 1.5;
            }
            u += wants(a, b, population);
            return 1 / (1 + Math.Exp(-u));
        }
    }

    /// <summary>FNV-1a: the same draw for the same text in every run.</summary>
    private static uint Hash(string text)
    {
        var hash = 2166136261;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619;
        }
        return hash;
    }
}
