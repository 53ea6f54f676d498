using System.Globalization;
using PeerMatch.Matching;

namespace PeerMatch.Bench;

/// <summary>
/// One simulated week: what the planner suggested (and with which model), the pairs suggested in earlier weeks, how
/// many answers there are now, and what retraining on them did.
/// </summary>
public sealed record SimulatedWeek(int Number, MatchPlan Plan, IReadOnlySet<long> SuggestedBefore, string Served, int Answers, PromotionResult Retraining, IPairScorer Current)
{
    public string Note => string.Create(CultureInfo.InvariantCulture,
        $"{Answers} answers; held-out NDCG@3 {Retraining.ChallengerNdcg:0.000} vs {Retraining.IncumbentNdcg:0.000}, better in {Retraining.Confidence:P0} of resamplings ({(Retraining.Promoted ? "promoted" : "kept incumbent")})");
}

/// <summary>
/// Weeks of a synthetic population's life with the real engine: suggestions from the serving scorer (and each person's
/// answers so far), answers drawn from a hidden preference, a challenger trained on every answer so far and promoted
/// by the real rule. The evaluations all simulate their weeks here.
/// </summary>
public static class WeeklySimulation
{
    public static IEnumerable<SimulatedWeek> Run(SyntheticPopulation population, IReadOnlyDictionary<string, MatchProfile> byId, IHiddenPreference hidden,
        DateTimeOffset start, int weeks, int answerSeed, string versionPrefix = "")
    {
        var answerRandom = new Random(answerSeed);
        var answers = new List<LabelledPair>();
        var suggested = new HashSet<long>(PairKeys.Comparer);
        var excluded = new List<(string, string)>();
        IPairScorer current = PriorScorer.Instance;
        for (var week = 1; week <= weeks; week++)
        {
            var plan = new MatchPlanner(current).Plan(population.People, excluded, start.AddDays(7 * week), histories: AnswerHistory.From(answers));
            var before = new HashSet<long>(suggested, PairKeys.Comparer);
            var served = current.Name;
            foreach (var s in plan.Suggestions)
            {
                var (a, b) = (byId[s.PractitionerId], byId[s.PeerId]);
                answers.Add(new LabelledPair(a.Id, b.Id, s.Features, answerRandom.NextDouble() < hidden.Acceptance(a, b)));
                if (suggested.Add(PairKeys.Of(a.Index, b.Index)))
                {
                    excluded.Add((a.Id, b.Id));
                }
            }
            var result = RankerPromotion.Challenge(answers, current, $"{versionPrefix}week-{week}");
            if (result.Promoted)
            {
                current = result.Challenger!;
            }
            yield return new SimulatedWeek(week, plan, before, served, answers.Count, result, current);
        }
    }
}
