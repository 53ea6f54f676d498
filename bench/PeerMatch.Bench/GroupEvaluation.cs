using System.Diagnostics;
using System.Globalization;
using PeerMatch.Matching;
using PeerMatch.Matching.Groups;

namespace PeerMatch.Bench;

/// <summary>
/// Group formation against the hidden preference: a synthetic population, a ranker trained on two weeks of simulated
/// answers, then groups formed three ways (random groups of the same sizes from the same people, the greedy first
/// assignment, and the greedy assignment improved by the local search). Each is measured by what the ranker never
/// sees: how likely members would say yes to each other.
/// </summary>
public static class GroupEvaluation
{
    public sealed record Row(string Policy, int Groups, int Placed, double MeanPreference, double MeanWorstServed, double WorstServed);

    public sealed record Result(int Population, int Seekers, string Scorer, IReadOnlyList<Row> Rows);

    public static Result Run(int populationSize, int seed, TextWriter log, int weeksOfAnswers = 2)
    {
        var now = new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);
        var population = SyntheticPopulation.Generate(populationSize, seed);
        var people = Featurizer.Featurize(population.People, now);
        var byId = people.ToDictionary(p => p.Id, StringComparer.Ordinal);
        var hidden = new HiddenPreference(population);
        IPairScorer scorer = PriorScorer.Instance;
        foreach (var week in WeeklySimulation.Run(population, byId, hidden, now, weeksOfAnswers, answerSeed: seed + 1))
        {
            log.WriteLine($"week {week.Number}: {week.Note}");
            scorer = week.Current;
        }

        var formation = new GroupFormation(scorer);
        var none = new HashSet<string>();
        var greedy = formation.Form(population.People, none, now, improve: false);
        log.WriteLine($"greedy: {greedy.Groups.Count} groups in {greedy.Stats.Greedy.TotalSeconds:0.0} s, mean pair score {greedy.Groups.Average(g => g.MeanPairScore):0.000}");
        var improved = formation.Form(population.People, none, now);
        log.WriteLine($"improved: {improved.Stats.ImprovingMoves} moves in {improved.Stats.Improvement.TotalSeconds:0.0} s, mean pair score {improved.Groups.Average(g => g.MeanPairScore):0.000}");
        var random = RandomGroups(improved, seed);

        Row Measure(string policy, IReadOnlyList<IReadOnlyList<string>> groups)
        {
            var served = new List<double>();
            var worstPerGroup = new List<double>();
            double sum = 0;
            var pairs = 0;
            foreach (var group in groups)
            {
                var members = group.Select(id => byId[id]).ToList();
                var worst = double.MaxValue;
                foreach (var a in members)
                {
                    // How likely a says yes to each other member, on average.
                    var mine = members.Where(b => b != a).Average(b => hidden.Acceptance(a, b));
                    served.Add(mine);
                    worst = Math.Min(worst, mine);
                    sum += members.Where(b => b != a).Sum(b => hidden.Acceptance(a, b));
                    pairs += members.Count - 1;
                }
                worstPerGroup.Add(worst);
            }
            return new Row(policy, groups.Count, served.Count, pairs == 0 ? 0 : sum / pairs, worstPerGroup.DefaultIfEmpty(0).Average(), served.DefaultIfEmpty(0).Min());
        }

        static IReadOnlyList<IReadOnlyList<string>> Ids(GroupPlan plan) => plan.Groups.Select(g => (IReadOnlyList<string>)g.Members.Select(m => m.Id).ToList()).ToList();
        var seekers = improved.Stats.Seekers;
        return new Result(populationSize, seekers, scorer.Name,
        [
            Measure("random groups of the same sizes (same people)", random),
            Measure("greedy first assignment", Ids(greedy)),
            Measure("greedy + local search", Ids(improved)),
        ]);
    }

    /// <summary>The improved plan's members dealt at random into groups of the same sizes: what chance alone gives.</summary>
    private static List<IReadOnlyList<string>> RandomGroups(GroupPlan plan, int seed)
    {
        var everyone = plan.Groups.SelectMany(g => g.Members.Select(m => m.Id)).ToArray();
        new Random(seed).Shuffle(everyone);
        var groups = new List<IReadOnlyList<string>>();
        var next = 0;
        foreach (var group in plan.Groups)
        {
            groups.Add(everyone[next..(next + group.Members.Count)]);
            next += group.Members.Count;
        }
        return groups;
    }

    public static string Markdown(Result result, int seed) => string.Create(CultureInfo.InvariantCulture, $"""
        {result.Population:N0} synthetic practitioners (seed {seed}), {result.Seekers:N0} seeking a peer group; pairs scored by {result.Scorer}.

        | groups | count | people placed | mean preference within groups | mean of each group's worst-served | worst-served anyone |
        |---|---:|---:|---:|---:|---:|
        {string.Join("\n", result.Rows.Select(r => string.Create(CultureInfo.InvariantCulture, $"| {r.Policy} | {r.Groups:N0} | {r.Placed:N0} | {r.MeanPreference:0.000} | {r.MeanWorstServed:0.000} | {r.WorstServed:0.000} |")))}
        """);

    /// <summary>
    /// The dry run at scale: <paramref name="size"/> practitioners, a third seeking a group, formed with a LightGBM ranker
    /// (as in production once a ranker is promoted).
    /// </summary>
    public static string DryRun(int size, int seed)
    {
        var now = new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);
        var ranker = DryRunBenchmark.TrainSmallRanker(SyntheticPopulation.Generate(2000, seed + 100), now, seed);
        var population = SyntheticPopulation.Generate(size, seed, peerGroupShare: 1.0 / 3);
        var clock = Stopwatch.StartNew();
        var plan = new GroupFormation(ranker).Form(population.People, new HashSet<string>(), now);
        var total = clock.Elapsed;
        var peak = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024);
        return string.Create(CultureInfo.InvariantCulture,
            $"| {size:N0} | {plan.Stats.Seekers:N0} | {plan.Groups.Count:N0} | {plan.Stats.Placed:N0} | {plan.Stats.ScoredPairs:N0} | {plan.Stats.Greedy.TotalSeconds:0.0} | {plan.Stats.Improvement.TotalSeconds:0.0} | {total.TotalSeconds:0.0} | {peak:0} |");
    }

    public const string DryRunHeader = """
        | practitioners | seeking a group | groups | placed | pairs scored | greedy s | local search s | total s | peak working set MB |
        |---:|---:|---:|---:|---:|---:|---:|---:|---:|
        """;
}
