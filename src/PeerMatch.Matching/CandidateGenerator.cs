using System.Numerics.Tensors;

namespace PeerMatch.Matching;

/// <summary>
/// Finds, for each person, the few most similar people they could actually meet, without comparing
/// everyone with everyone: people are blocked by (language, time band) for online and (language,
/// country) for in-person meetings, each block is scanned with SIMD dot products of the embeddings,
/// and a very large block is sampled rather than scanned whole.
/// </summary>
public sealed class CandidateGenerator
{
    public const int MaxScannedPerPerson = 2000;
    private const int Dimensions = MatchProfile.EmbeddingDimensions;

    private readonly MatchProfile[] _people;
    private readonly Dictionary<long, List<int>> _blocks = [];

    // All embeddings side by side: scanning a block reads one contiguous row per candidate.
    private readonly float[] _embeddings;

    public CandidateGenerator(MatchProfile[] people)
    {
        _people = people;
        _embeddings = new float[people.Length * Dimensions];
        foreach (var person in people)
        {
            person.Embedding.CopyTo(_embeddings, person.Index * Dimensions);
        }
        foreach (var person in people)
        {
            foreach (var key in Keys(person, neighbours: false))
            {
                if (!_blocks.TryGetValue(key, out var members))
                {
                    _blocks[key] = members = [];
                }
                members.Add(person.Index);
            }
        }
    }

    /// <summary>Up to <paramref name="k"/> candidates per person, best first, passing the hard rules and <paramref name="allowed"/>.</summary>
    public int[][] TopCandidates(int k, Func<int, int, bool> allowed)
    {
        var result = new int[_people.Length][];
        Parallel.For(0, _people.Length, () => new Scratch(_people.Length), (i, _, scratch) =>
        {
            result[i] = Top(_people[i], k, allowed, scratch);
            return scratch;
        }, _ => { });
        return result;
    }

    private sealed class Scratch(int size)
    {
        public readonly int[] Seen = new int[size];
        public int Stamp;
        public readonly PriorityQueue<int, float> Best = new();
        public readonly List<List<int>> Lists = [];
    }

    private int[] Top(MatchProfile person, int k, Func<int, int, bool> allowed, Scratch scratch)
    {
        scratch.Stamp++;
        scratch.Best.Clear();
        scratch.Lists.Clear();
        var total = 0;
        foreach (var key in Keys(person, neighbours: true))
        {
            if (_blocks.TryGetValue(key, out var members))
            {
                scratch.Lists.Add(members);
                total += members.Count;
            }
        }

        // Past the cap, a deterministic stride through the blocks: a sample, not a prefix.
        var step = Math.Max(1, total / MaxScannedPerPerson);
        var offset = person.Index % step;
        var position = 0;
        var mine = _embeddings.AsSpan(person.Index * Dimensions, Dimensions);
        foreach (var members in scratch.Lists)
        {
            // Visit every step-th position across all the lists, without walking the ones in between.
            var first = ((offset - position) % step + step) % step;
            position += members.Count;
            for (var m = first; m < members.Count; m += step)
            {
                var other = members[m];
                if (other == person.Index)
                {
                    continue;
                }
                // The dot product is cheap; duplicates and the hard rules (distance, languages,
                // history) are checked only for someone who would enter the top k.
                var similarity = TensorPrimitives.Dot(mine, _embeddings.AsSpan(other * Dimensions, Dimensions));
                var full = scratch.Best.Count >= k;
                if ((full && scratch.Best.TryPeek(out _, out var worst) && similarity <= worst) || scratch.Seen[other] == scratch.Stamp)
                {
                    continue;
                }
                scratch.Seen[other] = scratch.Stamp;
                if (!PairFeatures.CanMeet(person, _people[other]) || !allowed(person.Index, other))
                {
                    continue;
                }
                if (full)
                {
                    scratch.Best.DequeueEnqueue(other, similarity);
                }
                else
                {
                    scratch.Best.Enqueue(other, similarity);
                }
            }
        }

        var top = new int[scratch.Best.Count];
        for (var i = top.Length - 1; i >= 0; i--)
        {
            top[i] = scratch.Best.Dequeue();
        }
        return top;
    }

    private static IEnumerable<long> Keys(MatchProfile person, bool neighbours)
    {
        foreach (var language in person.Languages)
        {
            if (person.Online)
            {
                var band = person.TimeBand;
                for (var b = neighbours ? band - 1 : band; b <= (neighbours ? band + 1 : band); b++)
                {
                    yield return ((long)language << 20) | (0L << 16) | (uint)(b & 0xFFFF);
                }
            }
            if (person.InPerson)
            {
                var country = person.Profile.Region.Country;
                yield return ((long)language << 20) | (1L << 16) | (uint)((country[0] - 'A') * 26 + (country[1] - 'A'));
            }
        }
    }
}
