using System.Diagnostics;

namespace PeerMatch.Matching;

/// <summary>One peer suggested to one practitioner, with the reasons in words for that practitioner.</summary>
public sealed record Suggestion(string PractitionerId, string PeerId, float Score, IReadOnlyList<string> Reasons, float[] Features);

/// <summary>
/// A plan made on top of a week already planned: only pairs with at least one newcomer, and everyone
/// else counted with the suggestions they already have this week (those whose digest went out count as full).
/// </summary>
public sealed record LatePlanning(IReadOnlySet<string> Newcomers, IReadOnlyDictionary<string, int> AlreadySuggested);

/// <summary>A week's suggestions, and for everyone left without one, why.</summary>
public sealed record MatchPlan(IReadOnlyList<Suggestion> Suggestions, IReadOnlyDictionary<string, string> NoSuggestionReasons, MatchPlanStats Stats);

public sealed record MatchPlanStats(int Practitioners, int CandidatePairs, TimeSpan Featurize, TimeSpan Candidates, TimeSpan Ranking, TimeSpan Selection);

/// <summary>
/// The weekly matching, as a pure function of the population: featurize, generate candidates, score
/// each pair both ways, keep pairs that suit both sides (harmonic mean), and give each person at most
/// <c>perPerson</c> suggestions, spread so that nobody who could be matched is left out. A suggestion always goes both ways, so both can answer it this week.
/// </summary>
public sealed class MatchPlanner(IPairScorer scorer, int perPerson = 3, int candidatesPerPerson = 20)
{
    public MatchPlan Plan(IReadOnlyList<Candidate> population, IEnumerable<(string A, string B)> excludedPairs, DateTimeOffset now, LatePlanning? late = null,
        IReadOnlyDictionary<string, AnswerHistory>? histories = null)
    {
        var clock = Stopwatch.StartNew();
        var people = Featurizer.Featurize(population, now, histories);
        var featurizeTime = clock.Elapsed;

        var index = new Dictionary<string, int>(people.Length, StringComparer.Ordinal);
        foreach (var person in people)
        {
            index[person.Id] = person.Index;
        }
        var excluded = new HashSet<long>(PairKeys.Comparer);
        foreach (var (a, b) in excludedPairs)
        {
            if (index.TryGetValue(a, out var ia) && index.TryGetValue(b, out var ib))
            {
                excluded.Add(PairKeys.Of(ia, ib));
            }
        }

        clock.Restart();
        var top = new CandidateGenerator(people).TopCandidates(candidatesPerPerson, (a, b) => !excluded.Contains(PairKeys.Of(a, b)));
        var candidateTime = clock.Elapsed;

        clock.Restart();
        var edges = UniqueEdges(top);
        var features = new float[edges.Length * 2 * PairFeatures.Count];
        Parallel.For(0, edges.Length, e =>
        {
            var (a, b) = edges[e];
            PairFeatures.Compute(people[a], people[b], features.AsSpan((2 * e) * PairFeatures.Count, PairFeatures.Count));
            PairFeatures.Compute(people[b], people[a], features.AsSpan((2 * e + 1) * PairFeatures.Count, PairFeatures.Count));
        });
        var scores = new float[edges.Length * 2];
        const int Chunk = 16_384;
        Parallel.For(0, (scores.Length + Chunk - 1) / Chunk, c =>
        {
            var count = Math.Min(Chunk, scores.Length - c * Chunk);
            scorer.Score(features.AsSpan(c * Chunk * PairFeatures.Count, count * PairFeatures.Count), scores.AsSpan(c * Chunk, count));
        });
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
            .OrderByDescending(e => reciprocal[e]).ThenBy(e => edges[e].A).ThenBy(e => edges[e].B)
            .ToArray();
        var given = people.Select(p => late?.AlreadySuggested.GetValueOrDefault(p.Id) ?? 0).ToArray();
        var taken = new bool[edges.Length];
        var suggestions = new List<Suggestion>();
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
                suggestions.Add(new Suggestion(people[a].Id, people[b].Id, reciprocal[e], Reasons.For(people[a], people[b]), features.AsSpan(2 * e * PairFeatures.Count, PairFeatures.Count).ToArray()));
                suggestions.Add(new Suggestion(people[b].Id, people[a].Id, reciprocal[e], Reasons.For(people[b], people[a]), features.AsSpan((2 * e + 1) * PairFeatures.Count, PairFeatures.Count).ToArray()));
            }
        }

        var silent = new Dictionary<string, string>(StringComparer.Ordinal);
        var none = people.Where(p => given[p.Index] == 0 && newcomer[p.Index]).ToList();
        foreach (var person in none)
        {
            silent[person.Id] = Obstacles.Explain(person, people, (a, b) => !excluded.Contains(PairKeys.Of(a, b)), i => given[i] < perPerson, none.Count);
        }
        var selectionTime = clock.Elapsed;
        return new MatchPlan(suggestions, silent, new MatchPlanStats(people.Length, edges.Length, featurizeTime, candidateTime, rankingTime, selectionTime));
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
