using System.Diagnostics;
using System.Globalization;
using PeerMatch.Matching;

namespace PeerMatch.Bench;

/// <summary>
/// Time and peak memory of a full dry run (featurize, candidates, ranking with a trained LightGBM
/// model, reciprocal selection, reasons) for one population size, in this process.
/// </summary>
public static class DryRunBenchmark
{
    public static string Run(int size, int seed)
    {
        // A ranker trained on a small simulated week, so ranking takes the LightGBM path as in production.
        var trainingPopulation = SyntheticPopulation.Generate(2000, seed + 100);
        var now = new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);
        var ranker = TrainSmallRanker(trainingPopulation, now, seed);

        var population = SyntheticPopulation.Generate(size, seed);
        GC.Collect();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var clock = Stopwatch.StartNew();
        var plan = new MatchPlanner(ranker).Plan(population.People, [], now);
        var elapsed = clock.Elapsed;
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var stats = plan.Stats;
        return string.Create(CultureInfo.InvariantCulture,
            $"| {size:N0} | {elapsed.TotalSeconds:0.0} s | {process.PeakWorkingSet64 / 1024.0 / 1024:N0} MiB | {stats.Featurize.TotalSeconds:0.0} / {stats.Candidates.TotalSeconds:0.0} / {stats.Ranking.TotalSeconds:0.0} / {stats.Selection.TotalSeconds:0.0} s | {stats.CandidatePairs:N0} | {plan.Suggestions.Count:N0} | {plan.NoSuggestionReasons.Count:N0} | {(before / 1024.0 / 1024):N0} MiB |");
    }

    public const string Header = """
        | practitioners | total | peak working set | featurize / candidates / ranking / selection | candidate pairs | suggestions | without suggestion | managed heap before |
        |---|---|---|---|---|---|---|---|
        """;

    /// <summary>A LightGBM ranker trained on one simulated week of 2,000 people: so that a benchmark scores pairs as production does.</summary>
    internal static LearnedRanker TrainSmallRanker(SyntheticPopulation population, DateTimeOffset now, int seed)
    {
        var hidden = new HiddenPreference(population);
        var plan = new MatchPlanner(PriorScorer.Instance).Plan(population.People, [], now);
        var people = Featurizer.Featurize(population.People, now).ToDictionary(p => p.Id, StringComparer.Ordinal);
        var random = new Random(seed);
        var answers = plan.Suggestions.Select(s =>
        {
            var features = new float[PairFeatures.Count];
            PairFeatures.Compute(people[s.PractitionerId], people[s.PeerId], features);
            return new LabelledPair(s.PractitionerId, s.PeerId, features, random.NextDouble() < hidden.Acceptance(people[s.PractitionerId], people[s.PeerId]));
        }).ToList();
        return LearnedRanker.Train(answers, "bench");
    }
}
