using System.Diagnostics;

namespace PeerMatch.Matching;

/// <summary>
/// One peer suggested to one practitioner, with the reasons in words for that practitioner; <see cref="Explored"/> when
/// it was chosen to learn from rather than as the best (the reasons hold all the same).
/// </summary>
public sealed record Suggestion(string PractitionerId, string PeerId, float Score, IReadOnlyList<string> Reasons, float[] Features, bool Explored = false);

/// <summary>
/// A plan made on top of a week already planned: only pairs with at least one newcomer, and everyone
/// else counted with the suggestions they already have this week (those whose digest went out count as full).
/// </summary>
public sealed record LatePlanning(IReadOnlySet<string> Newcomers, IReadOnlyDictionary<string, int> AlreadySuggested);

/// <summary>A week's suggestions, and for everyone left without one, why.</summary>
public sealed record MatchPlan(IReadOnlyList<Suggestion> Suggestions, IReadOnlyDictionary<string, string> NoSuggestionReasons, MatchPlanStats Stats);

public sealed record MatchPlanStats(int Practitioners, int CandidatePairs, TimeSpan Featurize, TimeSpan Candidates, TimeSpan Ranking, TimeSpan Selection, int Explored = 0);

/// <summary>
/// The weekly matching, as a pure function of the population: featurize, generate candidates, score
/// each pair both ways, keep pairs that suit both sides (harmonic mean), and give each person at most
/// <c>perPerson</c> suggestions, spread so that nobody who could be matched is left out. A suggestion always goes both ways, so both can answer it this week.
/// </summary>
public sealed class MatchPlanner(IPairScorer scorer, int perPerson = MatchingSettings.DefaultSuggestionsPerWeek, int candidatesPerPerson = 40, double explorationShare = 0)
{
    /// <param name="excludedPairs">Pairs not to suggest: suggested recently, or one said no.</param>
    /// <param name="groupmates">Pairs who share a peer group: never suggested, and named as such when they leave someone without a suggestion.</param>
    public MatchPlan Plan(IReadOnlyList<Candidate> population, IEnumerable<(string A, string B)> excludedPairs, DateTimeOffset now, LatePlanning? late = null,
        IReadOnlyDictionary<string, AnswerHistory>? histories = null, IEnumerable<(string A, string B)>? groupmates = null)
    {
        var clock = Stopwatch.StartNew();
        var people = Featurizer.Featurize(population, now, histories);
        var featurizeTime = clock.Elapsed;

        var index = new Dictionary<string, int>(people.Length, StringComparer.Ordinal);
        foreach (var person in people)
        {
            index[person.Id] = person.Index;
        }
        HashSet<long> Keys(IEnumerable<(string A, string B)> pairs)
        {
            var keys = new HashSet<long>(PairKeys.Comparer);
            foreach (var (a, b) in pairs)
            {
                if (index.TryGetValue(a, out var ia) && index.TryGetValue(b, out var ib))
                {
                    keys.Add(PairKeys.Of(ia, ib));
                }
            }
            return keys;
        }
        var inOneGroup = Keys(groupmates ?? []);
        var excluded = Keys(excludedPairs);
        excluded.UnionWith(inOneGroup);

        clock.Restart();
        var top = new CandidateGenerator(people).TopCandidates(candidatesPerPerson, (a, b) => !excluded.Contains(PairKeys.Of(a, b)));
        var candidateTime = clock.Elapsed;

        clock.Restart();
        var edges = UniqueEdges(top);
        var scores = ScoreBothWays(people, edges);
        var rankingTime = clock.Elapsed;

        clock.Restart();
        var reciprocal = new float[edges.Length];
        for (var e = 0; e < edges.Length; e++)
        {
            var (ab, ba) = (scores[2 * e], scores[2 * e + 1]);
            reciprocal[e] = ab <= 0 || ba <= 0 ? 0 : 2 * ab * ba / (ab + ba);
        }
        // Best pairs first, in rounds: round r takes a pair only if one of the two has fewer than r
        // suggestions so far. Everyone who can be matched gets a first suggestion before anyone a third.
        var newcomer = people.Select(p => late is null || late.Newcomers.Contains(p.Id)).ToArray();
        var order = Enumerable.Range(0, edges.Length)
            .Where(e => reciprocal[e] >= scorer.MinimumScore && (newcomer[edges[e].A] || newcomer[edges[e].B]))
            .ToArray();
        // Ties broken by the pair, so that a plan does not depend on the order candidates were found in.
        Array.Sort(order, (x, y) => reciprocal[y].CompareTo(reciprocal[x]) is var byScore and not 0 ? byScore
            : edges[x].A != edges[y].A ? edges[x].A.CompareTo(edges[y].A) : edges[x].B.CompareTo(edges[y].B));
        var given = people.Select(p => late?.AlreadySuggested.GetValueOrDefault(p.Id) ?? 0).ToArray();
        var taken = new bool[edges.Length];
        var suggestions = new List<Suggestion>();
        // Not in a late plan: its people may have had their exploration in the week's plan already.
        var explored = explorationShare > 0 && late is null ? Explore(people, edges, order, reciprocal, given, taken, now) : 0;
        foreach (var e in Enumerable.Range(0, edges.Length).Where(e => taken[e]))
        {
            suggestions.AddRange(BothWays(people, edges[e], reciprocal[e], explored: true));
        }
        for (var round = 1; round <= perPerson; round++)
        {
            foreach (var e in order)
            {
                var (a, b) = edges[e];
                if (taken[e] || given[a] >= perPerson || given[b] >= perPerson || (given[a] >= round && given[b] >= round))
                {
                    continue;
                }
                taken[e] = true;
                given[a]++;
                given[b]++;
                suggestions.AddRange(BothWays(people, edges[e], reciprocal[e]));
            }
        }

        var silent = new Dictionary<string, string>(StringComparer.Ordinal);
        var none = people.Where(p => given[p.Index] == 0 && newcomer[p.Index]).ToList();
        foreach (var person in none)
        {
            silent[person.Id] = Obstacles.Explain(person, people, (a, b) => !excluded.Contains(PairKeys.Of(a, b)), i => given[i] < perPerson, none.Count,
                (a, b) => inOneGroup.Contains(PairKeys.Of(a, b)));
        }
        var selectionTime = clock.Elapsed;
        return new MatchPlan(suggestions, silent, new MatchPlanStats(people.Length, edges.Length, featurizeTime, candidateTime, rankingTime, selectionTime, explored));
    }

    /// <summary>
    /// Each pair scored from both sides, on every core, a chunk at a time: the features of millions of pairs are not
    /// kept (those of the few suggested are computed again), which would cost more memory than everything else.
    /// </summary>
    private float[] ScoreBothWays(MatchProfile[] people, (int A, int B)[] edges)
    {
        const int Chunk = 8_192;
        var scores = new float[edges.Length * 2];
        Parallel.For(0, (edges.Length + Chunk - 1) / Chunk, OneThreadPerCore, () => new float[Chunk * 2 * PairFeatures.Count], (chunk, _, features) =>
        {
            var first = chunk * Chunk;
            var count = Math.Min(Chunk, edges.Length - first);
            for (var i = 0; i < count; i++)
            {
                var (a, b) = edges[first + i];
                PairFeatures.Compute(people[a], people[b], features.AsSpan(2 * i * PairFeatures.Count, PairFeatures.Count));
                PairFeatures.Compute(people[b], people[a], features.AsSpan((2 * i + 1) * PairFeatures.Count, PairFeatures.Count));
            }
            scorer.Score(features.AsSpan(0, 2 * count * PairFeatures.Count), scores.AsSpan(2 * first, 2 * count));
            return features;
        }, _ => { });
        return scores;
    }

    /// <summary>
    /// Exploration, before the rounds: each week a stable draw of about <c>explorationShare</c> of the people get one of
    /// their suggestions chosen to learn from rather than as the best: a pair drawn at random among those passing every
    /// hard rule and a quality floor (the minimum score, and the median of the pairs above it). Its peer gets it too (a
    /// suggestion goes both ways), so up to twice that share of people get one; nobody gets two. Answers to the serving
    /// model's favourites alone teach it only about its favourites.
    /// </summary>
    private int Explore(MatchProfile[] people, (int A, int B)[] edges, int[] order, float[] reciprocal, int[] given, bool[] taken, DateTimeOffset now)
    {
        if (order.Length == 0)
        {
            return 0;
        }
        var week = IsoWeeks.Planning(now);
        var floor = Math.Max(scorer.MinimumScore, reciprocal[order[order.Length / 2]]);
        var explorer = people.Select(p => StableDraw($"{p.Id}|{week}") < explorationShare).ToArray();
        var explored = new bool[people.Length];
        var count = 0;
        var drawn = order.Where(e => reciprocal[e] >= floor && (explorer[edges[e].A] || explorer[edges[e].B]))
            .OrderBy(e => StableDraw($"{people[edges[e].A].Id}|{people[edges[e].B].Id}|{week}"));
        foreach (var e in drawn)
        {
            var (a, b) = edges[e];
            if (explored[a] || explored[b] || given[a] >= perPerson || given[b] >= perPerson)
            {
                continue;
            }
            taken[e] = explored[a] = explored[b] = true;
            given[a]++;
            given[b]++;
            count++;
        }
        return count;
    }

    /// <summary>
    /// CPU-bound loops take one thread per core and no more: the process also answers requests, whose continuations need
    /// pool threads of their own while a week is planned.
    /// </summary>
    internal static readonly ParallelOptions OneThreadPerCore = new() { MaxDegreeOfParallelism = Environment.ProcessorCount };

    /// <summary>A number in [0, 1) from the text (FNV-1a): the same draw for the same person and week on every run.</summary>
    private static double StableDraw(string text)
    {
        var hash = 2166136261;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619;
        }
        return hash / (uint.MaxValue + 1.0);
    }

    /// <summary>A pair as a suggestion to each of the two, with the reasons and features from each one's side.</summary>
    private static IEnumerable<Suggestion> BothWays(MatchProfile[] people, (int A, int B) edge, float score, bool explored = false)
    {
        foreach (var (a, b) in new[] { (people[edge.A], people[edge.B]), (people[edge.B], people[edge.A]) })
        {
            var features = new float[PairFeatures.Count];
            PairFeatures.Compute(a, b, features);
            yield return new Suggestion(a.Id, b.Id, score, Reasons.For(a, b), features, explored);
        }
    }

    private static (int A, int B)[] UniqueEdges(int[][] top)
    {
        var seen = new HashSet<long>(PairKeys.Comparer);
        var edges = new List<(int, int)>();
        for (var a = 0; a < top.Length; a++)
        {
            foreach (var b in top[a])
            {
                if (seen.Add(PairKeys.Of(a, b)))
                {
                    edges.Add((Math.Min(a, b), Math.Max(a, b)));
                }
            }
        }
        return [.. edges];
    }
}

/// <summary>An unordered pair of people's indices as one long, and a comparer that hashes it well.</summary>
internal static class PairKeys
{
    public static long Of(int a, int b) => a < b ? ((long)a << 32) | (uint)b : ((long)b << 32) | (uint)a;

    /// <summary>
    /// Hashes by all the bits: a long's own hash (its halves XORed) puts the pairs of a few thousand people into a few
    /// thousand buckets, and every lookup walks a long chain.
    /// </summary>
    public static readonly IEqualityComparer<long> Comparer = new Spread();

    private sealed class Spread : IEqualityComparer<long>
    {
        public bool Equals(long x, long y) => x == y;

        public int GetHashCode(long key) => (int)(((ulong)key * 0x9E3779B97F4A7C15UL) >> 32);
    }
}
