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

    /// <summary>
    /// A scorer that knows this preference as far as the pair features show it, where they show all of it but noise
    /// (else null): the most any ranker could learn, to tell what learning could reach from what it does.
    /// </summary>
    IPairScorer? Visible => null;
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
            Math.Clamp((b.Years - a.Years) / 6.0, -1.5, 1.5),
            visible: features => Math.Clamp(SignedGapYears(features) / 6.0, -1.5, 1.5)),
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
            2.5 * (Hash(a.Id + "|" + b.Id) / (double)uint.MaxValue - 0.5) + 0.5 * Math.Clamp((b.Years - a.Years) / 10.0, -1, 1),
            visible: features => 0.5 * Math.Clamp(SignedGapYears(features) / 10.0, -1, 1)),
    ];

    /// <summary>b's years over a's, as the pair features hold it (a twentieth, clamped to ±1).</summary>
    private static double SignedGapYears(ReadOnlySpan<float> features) => features[16] * 20.0;

    private static readonly double[] Tolerances = [25, 60, 150, 600, 3_000];

    private delegate double VisibleWants(ReadOnlySpan<float> features);

    private sealed class Family(string name, SyntheticPopulation population, Func<MatchProfile, MatchProfile, SyntheticPopulation, double> wants, VisibleWants? visible = null) : IHiddenPreference
    {
        private const double Base = -1.2;
        private const double SharedModel = 0.6;

        public string Name { get; } = name;

        public IPairScorer? Visible { get; } = visible is null ? null : new VisibleScorer(visible);

        public double Acceptance(MatchProfile a, MatchProfile b)
        {
            var u = Base;
            if ((a.Models & b.Models) != 0)
            {
                u += SharedModel;
            }
            if (!PairFeatures.CanMeet(a, b))
            {
                u -= 1.5;
            }
            u += wants(a, b, population);
            return 1 / (1 + Math.Exp(-u));
        }

        /// <summary>The same acceptance from the pair features (every scored pair can meet: that is a hard rule).</summary>
        private sealed class VisibleScorer(VisibleWants wants) : IPairScorer
        {
            public string Name => "knows the preference";

            public float MinimumScore => 0;

            public void Score(ReadOnlySpan<float> features, Span<float> scores)
            {
                for (var i = 0; i < scores.Length; i++)
                {
                    var pair = features.Slice(i * PairFeatures.Count, PairFeatures.Count);
                    var u = Base + (pair[0] > 0 ? SharedModel : 0) + wants(pair);
                    scores[i] = (float)(1 / (1 + Math.Exp(-u)));
                }
            }
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
