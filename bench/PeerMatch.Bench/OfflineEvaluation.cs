using System.Globalization;
using PeerMatch.Matching;

namespace PeerMatch.Bench;

/// <summary>
/// Offline evaluation: a synthetic population answers suggestions according to a hidden preference.
/// Reports, for random suggestions, the cold-start prior and the ranker after 1, 2 and 4 simulated
/// weeks of answers: the expected acceptance rate of the suggestions made, and NDCG@3 against the
/// hidden preference over each person's candidate pool.
/// </summary>
public static class OfflineEvaluation
{
    public sealed record Row(string Policy, double AcceptanceRate, double SuggestionsPerPerson, double NdcgAt3, string Note);

    public static IReadOnlyList<Row> Run(int populationSize, int seed, TextWriter log)
    {
        var now = new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);
        var population = SyntheticPopulation.Generate(populationSize, seed);
        var people = Featurizer.Featurize(population.People, now);
        var byId = people.ToDictionary(p => p.Id, StringComparer.Ordinal);
        var hidden = new HiddenPreference(population);

        // One fixed candidate pool per person, with graded relevance from the hidden preference.
        var pool = new CandidateGenerator(people).TopCandidates(20, (_, _) => true);
        var poolRows = new List<(string Group, int Row)>();
        var poolFeatures = new List<float>();
        var poolRelevance = new List<double>();
        var buffer = new float[PairFeatures.Count];
        foreach (var a in people)
        {
            foreach (var b in pool[a.Index])
            {
                PairFeatures.Compute(a, people[b], buffer);
                poolFeatures.AddRange(buffer);
                poolRows.Add((a.Id, poolRelevance.Count));
                poolRelevance.Add(hidden.Acceptance(a, people[b]));
            }
        }
        var poolArray = poolFeatures.ToArray();

        double Ndcg(IPairScorer scorer)
        {
            var scores = new float[poolRelevance.Count];
            scorer.Score(poolArray, scores);
            return RankingMetrics.MeanNdcg(poolRows, scores, poolRelevance, 3);
        }

        (double Rate, double PerPerson) Acceptance(IPairScorer scorer)
        {
            var plan = new MatchPlanner(scorer).Plan(population.People, [], now);
            var rate = plan.Suggestions.Count == 0 ? 0 : plan.Suggestions.Average(s => hidden.Acceptance(byId[s.PractitionerId], byId[s.PeerId]));
            return (rate, plan.Suggestions.Count / (double)people.Length);
        }

        Row Evaluate(string policy, IPairScorer scorer, string note)
        {
            var (rate, perPerson) = Acceptance(scorer);
            return new Row(policy, rate, perPerson, Ndcg(scorer), note);
        }

        var rows = new List<Row>();
        var random = new RandomScorer(seed);
        rows.Add(new Row("random", RandomAcceptance(people, hidden, seed), 3, Ndcg(random), "3 random peers who share a language and can meet"));
        log.WriteLine("evaluated random");
        rows.Add(Evaluate("prior (cold start)", PriorScorer.Instance, "transparent weighted sum"));
        log.WriteLine("evaluated prior");

        foreach (var week in WeeklySimulation.Run(population, byId, hidden, now, weeks: 4, answerSeed: seed + 1))
        {
            log.WriteLine($"week {week.Number}: {week.Note}");
            if (week.Number is 1 or 2 or 4)
            {
                rows.Add(Evaluate($"ranker after {week.Number} week{(week.Number == 1 ? "" : "s")}", week.Current, week.Note));
            }
        }
        return rows;
    }

    public static string Markdown(IReadOnlyList<Row> rows, int populationSize, int seed)
    {
        var lines = new List<string>
        {
            $"Population {populationSize:N0}, seed {seed}.",
            "",
            "| policy | expected acceptance of suggestions | suggestions per person | NDCG@3 vs hidden preference | note |",
            "|---|---|---|---|---|",
        };
        lines.AddRange(rows.Select(r => string.Create(CultureInfo.InvariantCulture, $"| {r.Policy} | {r.AcceptanceRate:P1} | {r.SuggestionsPerPerson:0.00} | {r.NdcgAt3:0.000} | {r.Note} |")));
        return string.Join('\n', lines);
    }

    private static double RandomAcceptance(MatchProfile[] people, HiddenPreference hidden, int seed)
    {
        var random = new Random(seed);
        var total = 0.0;
        var count = 0;
        foreach (var a in people)
        {
            for (int tries = 0, found = 0; tries < 300 && found < 3; tries++)
            {
                var b = people[random.Next(people.Length)];
                if (b.Index != a.Index && PairFeatures.CanMeet(a, b))
                {
                    total += hidden.Acceptance(a, b);
                    count++;
                    found++;
                }
            }
        }
        return count == 0 ? 0 : total / count;
    }

    private sealed class RandomScorer(int seed) : IPairScorer
    {
        public string Name => "random";

        public float MinimumScore => 0;

        public void Score(ReadOnlySpan<float> features, Span<float> scores)
        {
            var random = new Random(seed);
            for (var i = 0; i < scores.Length; i++)
            {
                scores[i] = random.NextSingle();
            }
        }
    }
}
