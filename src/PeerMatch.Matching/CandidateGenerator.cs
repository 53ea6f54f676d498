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
    private readonly Dictionary<long, Block> _blocks = [];

    /// <summary>
    /// A block's members and, in the same order, their embeddings side by side: a scan reads memory in order, not one
    /// person's row here and the next one's far away (which made the scan wait on memory more than compute).
    /// </summary>
    private sealed class Block(List<int> members)
    {
        public readonly List<int> Members = members;
        public float[] Embeddings = [];
    }

    public CandidateGenerator(MatchProfile[] people)
    {
        _people = people;
        foreach (var person in people)
        {
            foreach (var key in Keys(person, neighbours: false))
            {
                if (!_blocks.TryGetValue(key, out var block))
                {
                    _blocks[key] = block = new Block([]);
                }
                block.Members.Add(person.Index);
            }
        }
        foreach (var block in _blocks.Values)
        {
            block.Embeddings = new float[block.Members.Count * Dimensions];
            for (var m = 0; m < block.Members.Count; m++)
            {
                people[block.Members[m]].Embedding.CopyTo(block.Embeddings, m * Dimensions);
            }
        }
    }

    /// <summary>Up to <paramref name="k"/> candidates per person, best first, passing the hard rules and <paramref name="allowed"/>.</summary>
    public int[][] TopCandidates(int k, Func<int, int, bool> allowed)
    {
        var result = new int[_people.Length][];
        Parallel.For(0, _people.Length, MatchPlanner.OneThreadPerCore, () => new Scratch(_people.Length), (i, _, scratch) =>
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
        public readonly List<Block> Lists = [];
    }

    private int[] Top(MatchProfile person, int k, Func<int, int, bool> allowed, Scratch scratch)
    {
        scratch.Stamp++;
        scratch.Best.Clear();
        var total = GatherBlocks(person, scratch);

        // Past the cap, a deterministic stride through the blocks: a sample, not a prefix.
        var step = Math.Max(1, total / MaxScannedPerPerson);
        var offset = person.Index % step;
        var position = 0;
        ReadOnlySpan<float> mine = person.Embedding;
        foreach (var block in scratch.Lists)
        {
            var members = block.Members;
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
                var similarity = TensorPrimitives.Dot(mine, block.Embeddings.AsSpan(m * Dimensions, Dimensions));
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

    /// <summary>The blocks <paramref name="person"/> is scanned against (theirs and the neighbouring ones), into the scratch's lists; how many people they hold.</summary>
    private int GatherBlocks(MatchProfile person, Scratch scratch)
    {
        scratch.Lists.Clear();
        var total = 0;
        foreach (var key in Keys(person, neighbours: true))
        {
            if (_blocks.TryGetValue(key, out var block))
            {
                scratch.Lists.Add(block);
                total += block.Members.Count;
            }
        }
        return total;
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
