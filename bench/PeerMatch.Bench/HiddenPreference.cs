using PeerMatch.Matching;

namespace PeerMatch.Bench;

/// <summary>
/// How likely a would say yes to b. The offline evaluation draws answers from this; the ranker never
/// sees it, only the answers. It rewards some things the prior weighs differently (a shared hidden
/// interest, a large mentoring gap, a willing convener) and punishes distance harder.
/// </summary>
public sealed class HiddenPreference(SyntheticPopulation population) : IHiddenPreference
{
    public string Name => "engine-like";

    public double Acceptance(MatchProfile a, MatchProfile b)
    {
        var u = -2.2;
        var sharedModels = a.Profile.Models.Intersect(b.Profile.Models).ToList();
        if (sharedModels.Count > 0)
        {
            u += sharedModels.Any(m => m is "transformative" or "narrative" or "understanding-based") ? 2.2 : 1.4;
        }
        if (population.Interest[a.Id] == population.Interest[b.Id])
        {
            u += 1.6;
        }
        if (a.InPerson && !a.Online)
        {
            var km = PairFeatures.DistanceKm(a, b) ?? 10_000;
            u += km < 50 ? 1.4 : km < 150 ? 0.4 : -2.5;
        }
        else
        {
            u += 0.9 * PairFeatures.SharedWorkingHours(a, b) / 9;
        }
        if (a.Seeks("mentor"))
        {
            u += b.Years - a.Years >= 8 ? 2.0 : b.Years - a.Years >= 4 ? 0.5 : -0.6;
        }
        else
        {
            u -= 0.06 * Math.Abs(a.Years - b.Years);
        }
        if (a.Seeks("peer-group") && b.Profile.WillingToConvene)
        {
            u += 0.7;
        }
        u += 0.4 * a.Profile.PracticeAreas.Intersect(b.Profile.PracticeAreas).Count();
        return 1 / (1 + Math.Exp(-u));
    }
}
