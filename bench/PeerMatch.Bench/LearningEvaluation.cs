using System.Globalization;
using PeerMatch.Matching;

namespace PeerMatch.Bench;

/// <summary>
/// Does matching learn? For each hidden preference family and seed, a synthetic population lives through several weeks
/// with the real planner, the real retraining and the real promotion rule: each week's suggestions are answered by the
/// hidden preference, a challenger is trained on every answer so far, and it serves next week only if promoted. Each
/// week is scored as the share of the way from random suggestions to the oracle's: for everyone suggested to, the
/// expected acceptance of what they got, against the mean over the peers still possible for them (random) and the best
/// as many of those peers (oracle), under the same hard rules (a shared language, a way to meet, never suggested before).
/// </summary>
public static class LearningEvaluation
{
    /// <summary>
    /// A week: the expected acceptance of its suggestions and its share of the way from random to oracle; and the same for
    /// introductions (both say yes: a suggestion goes both ways, so a peer who would not want you back helps nobody).
    /// </summary>
    public sealed record Week(string Family, string Policy, int Seed, int Number, double Acceptance, double Share, double Introductions, double IntroductionShare, int Suggestions, string Model, string Training);

    /// <summary>The share of people who get one suggestion chosen to learn from, in the exploring policy.</summary>
    public const double ExplorationShare = 0.1;

    /// <summary>Learning's scorer each week, planning week 1 again: its peers all still possible, nobody yet suggested.</summary>
    public const string OnWeekOnePeers = "learning, on week 1's peers";

    private static readonly HashSet<long> NothingBefore = [];

    public static IEnumerable<Week> Run(int size, IReadOnlyList<int> seeds, int weeks, TextWriter log)
    {
        var start = new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);
        foreach (var seed in seeds)
        {
            var population = SyntheticPopulation.Generate(size, seed);
            foreach (var family in PreferenceFamilies.All(population))
            {
                var people = Featurizer.Featurize(population.People, start);
                var byId = people.ToDictionary(p => p.Id, StringComparer.Ordinal);
                List<Policy> policies = [Policy.Learning, Policy.Learning with { Name = $"learning, exploring {ExplorationShare:P0}", ExplorationShare = ExplorationShare }, Policy.Prior];
                if (family.Visible is { } visible)
                {
                    policies.Add(new Policy(visible.Name, Learns: false, Fixed: visible));
                }
                foreach (var policy in policies)
                {
                    foreach (var week in WeeklySimulation.Run(population, byId, family, start, weeks, answerSeed: seed * 7919 + family.Name.Length, versionPrefix: family.Name + "-", policy: policy))
                    {
                        var scored = Score(people, byId, week.Plan, week.SuggestedBefore, family);
                        var training = week.Retraining?.Summary ?? "";
                        log.WriteLine($"{family.Name}, {policy.Name}, seed {seed}, week {week.Number}: share {scored.Share:0.000}, of introductions {scored.IntroductionShare:0.000}; {training}");
                        yield return scored with { Family = family.Name, Policy = policy.Name, Seed = seed, Number = week.Number, Model = week.ServedBy.Name, Training = training };
                        if (policy == Policy.Learning)
                        {
                            // The same scorer, knowing as much of each person, on week 1's peers: what learning alone did,
                            // without the weeks' using up of the best pairs.
                            var replay = new MatchPlanner(week.ServedBy).Plan(population.People, [], start.AddDays(7), histories: week.Histories);
                            var replayed = Score(people, byId, replay, NothingBefore, family);
                            yield return replayed with { Family = family.Name, Policy = OnWeekOnePeers, Seed = seed, Number = week.Number, Model = week.ServedBy.Name, Training = training };
                        }
                    }
                }
            }
        }
    }

    /// <summary>One week's suggestions (each directed: <c>a</c> was suggested <c>b</c>) against random and the oracle.</summary>
    private static Week Score(MatchProfile[] people, Dictionary<string, MatchProfile> byId, MatchPlan plan, IReadOnlySet<long> before, IHiddenPreference family)
    {
        var suggestions = plan.Suggestions.Select(s => (A: byId[s.PractitionerId].Index, B: byId[s.PeerId].Index)).ToList();
        var accepted = new Tally();
        var introduced = new Tally();
        foreach (var byPerson in suggestions.GroupBy(s => s.A))
        {
            var a = people[byPerson.Key];
            var possible = people
                .Where(b => b.Index != a.Index && MatchProfile.SharedCount(a.Languages, b.Languages) > 0 && PairFeatures.CanMeet(a, b) && !before.Contains(PairKeys.Of(a.Index, b.Index)))
                .ToList();
            var k = byPerson.Count();
            accepted.Add(k, byPerson.Select(s => family.Acceptance(a, people[s.B])), possible.Select(b => family.Acceptance(a, b)));
            introduced.Add(k, byPerson.Select(s => family.Acceptance(a, people[s.B]) * family.Acceptance(people[s.B], a)), possible.Select(b => family.Acceptance(a, b) * family.Acceptance(b, a)));
        }
        var n = Math.Max(1, suggestions.Count);
        return new Week("", "", 0, 0, accepted.Got / n, accepted.Share, introduced.Got / n, introduced.Share, suggestions.Count, "", "");
    }

    /// <summary>What the suggestions got, what random ones would (the mean of the possible), and the oracle's (the best k).</summary>
    private sealed class Tally
    {
        public double Got { get; private set; }
        private double _random;
        private double _oracle;

        public double Share => _oracle > _random ? (Got - _random) / (_oracle - _random) : 0;

        public void Add(int k, IEnumerable<double> got, IEnumerable<double> possible)
        {
            var values = possible.OrderDescending().ToList();
            Got += got.Sum();
            _random += k * values.Average();
            _oracle += values.Take(k).Sum();
        }
    }

    /// <summary>A gain with its sign; one that rounds to nothing reads +0.000, not -+0.000.</summary>
    private static string Signed(double value) => (Math.Round(value, 3) + 0.0).ToString("+0.000;−0.000", CultureInfo.InvariantCulture);

    public static string Markdown(IReadOnlyList<Week> weeks, int size)
    {
        var count = weeks.Max(w => w.Number);
        var lines = new List<string>
        {
            $"{size:N0} synthetic practitioners; seeds {string.Join(", ", weeks.Select(w => w.Seed).Distinct())}; mean over the seeds of the share of the way from random to oracle, for acceptance and for introductions (both say yes), with the expected acceptance in brackets:",
            "",
            "| family | policy | measure | " + string.Join(" | ", Enumerable.Range(1, count).Select(w => $"week {w}")) + " | best of week 4 on − week 1 | weeks 4 on − prior's (± standard error over seeds) |",
            "|---|---|---|" + string.Concat(Enumerable.Repeat("---:|", count)) + "---:|---:|",
        };
        foreach (var family in weeks.GroupBy(w => w.Family))
        {
            foreach (var (measure, share, value) in new (string, Func<Week, double>, Func<Week, double>)[]
            {
                ("acceptance", w => w.Share, w => w.Acceptance),
                ("introductions", w => w.IntroductionShare, w => w.Introductions),
            })
            {
                List<(double Share, double Value)> Mean(IEnumerable<Week> policy) =>
                    [.. Enumerable.Range(1, count).Select(n => (policy.Where(w => w.Number == n).Average(share), policy.Where(w => w.Number == n).Average(value)))];
                foreach (var policy in family.GroupBy(w => w.Policy))
                {
                    var mean = Mean(policy);
                    var gain = mean.Skip(3).DefaultIfEmpty(mean[^1]).Max(m => m.Share) - mean[0].Share;
                    // Learning against the prior in the same weeks: both have used up the same number of weeks of peers (on
                    // week 1's peers, the prior's share is week 1's every week). Per seed, so that the spread between seeds
                    // says how much of it is noise.
                    var lifts = policy.GroupBy(w => w.Seed).Select(seed =>
                    {
                        var prior = family.Where(w => w.Seed == seed.Key).ToList();
                        double PriorShare(int number) => share(policy.Key == OnWeekOnePeers
                            ? prior.Single(w => w.Policy == Policy.Learning.Name && w.Number == 1)
                            : prior.Single(w => w.Policy == Policy.Prior.Name && w.Number == number));
                        return seed.Where(w => w.Number >= 4).Select(w => share(w) - PriorShare(w.Number)).DefaultIfEmpty(0).Average();
                    }).ToList();
                    var lift = lifts.Average();
                    var spread = lifts.Count < 2 ? 0 : Math.Sqrt(lifts.Sum(l => (l - lift) * (l - lift)) / (lifts.Count - 1) / lifts.Count);
                    lines.Add(string.Create(CultureInfo.InvariantCulture,
                        $"| {family.Key} | {policy.Key} | {measure} | {string.Join(" | ", mean.Select(m => $"{m.Share:0.000} ({m.Value:P0})"))} | {Signed(gain)} | {(policy.Key == Policy.Prior.Name ? "" : string.Create(CultureInfo.InvariantCulture, $"{Signed(lift)} ± {spread:0.000}"))} |"));
                }
            }
        }
        return string.Join('\n', lines);
    }
}
