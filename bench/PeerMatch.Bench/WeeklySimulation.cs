using System.Globalization;
using PeerMatch.Matching;

namespace PeerMatch.Bench;

/// <summary>
/// One simulated week: what the planner suggested, with which scorer and what it knew of each person's answers then, the
/// pairs suggested in earlier weeks, how many answers there are now, what retraining on them did, and the scorer that
/// serves next week.
/// </summary>
public sealed record SimulatedWeek(int Number, MatchPlan Plan, IReadOnlySet<long> SuggestedBefore, IPairScorer ServedBy, IReadOnlyDictionary<string, AnswerHistory> Histories,
    int Answers, PromotionResult? Retraining, IPairScorer Current)
{
    public string Note => Retraining is null ? $"{Answers} answers; no retraining" : string.Create(CultureInfo.InvariantCulture,
        $"{Answers} answers; held-out NDCG@3 {Retraining.ChallengerNdcg:0.000} vs {Retraining.IncumbentNdcg:0.000}, better in {Retraining.Confidence:P0} of resamplings ({(Retraining.Promoted ? "promoted" : "kept incumbent")})");
}

/// <summary>
/// How the engine lives through the weeks: learning from the answers (the engine as it runs, optionally exploring a
/// share of the people each week), or serving one scorer throughout (the prior, or one that knows the hidden preference).
/// </summary>
public sealed record Policy(string Name, bool Learns, double ExplorationShare = 0, IPairScorer? Fixed = null)
{
    public static readonly Policy Learning = new("learning", Learns: true);

    public static readonly Policy Prior = new("prior throughout", Learns: false);
}

/// <summary>
/// Weeks of a synthetic population's life with the real engine: suggestions from the serving scorer (and each person's
/// answers so far), answers drawn from a hidden preference, a challenger trained on every answer so far and promoted
/// by the real rule. The evaluations all simulate their weeks here.
/// </summary>
public static class WeeklySimulation
{
    public static IEnumerable<SimulatedWeek> Run(SyntheticPopulation population, IReadOnlyDictionary<string, MatchProfile> byId, IHiddenPreference hidden,
        DateTimeOffset start, int weeks, int answerSeed, string versionPrefix = "", Policy? policy = null)
    {
        policy ??= Policy.Learning;
        var answerRandom = new Random(answerSeed);
        var answers = new List<LabelledPair>();
        var suggested = new HashSet<long>(PairKeys.Comparer);
        var excluded = new List<(string, string)>();
        var current = policy.Fixed ?? PriorScorer.Instance;
        for (var week = 1; week <= weeks; week++)
        {
            var histories = AnswerHistory.From(answers);
            var plan = new MatchPlanner(current, explorationShare: policy.ExplorationShare).Plan(population.People, excluded, start.AddDays(7 * week), histories: histories);
            var before = new HashSet<long>(suggested, PairKeys.Comparer);
            var served = current;
            foreach (var s in plan.Suggestions)
            {
                var (a, b) = (byId[s.PractitionerId], byId[s.PeerId]);
                answers.Add(new LabelledPair(a.Id, b.Id, s.Features, answerRandom.NextDouble() < hidden.Acceptance(a, b)));
                if (suggested.Add(PairKeys.Of(a.Index, b.Index)))
                {
                    excluded.Add((a.Id, b.Id));
                }
            }
            var result = policy.Learns ? RankerPromotion.Challenge(answers, current, $"{versionPrefix}week-{week}") : null;
            if (result is { Promoted: true })
            {
                current = result.Challenger!;
            }
            yield return new SimulatedWeek(week, plan, before, served, histories, answers.Count, result, current);
        }
    }
}
