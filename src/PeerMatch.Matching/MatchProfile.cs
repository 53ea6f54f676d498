using System.Collections.Frozen;
using System.Numerics;
using PeerMatch.Matching.Geo;
using PeerMatch.Practitioners;

namespace PeerMatch.Matching;

/// <summary>
/// A candidate turned into numbers once per run: sets as bit masks, a place, a UTC offset, a bio
/// vector and the embedding that candidate generation compares with SIMD.
/// </summary>
public sealed class MatchProfile
{
    public const int BioDimensions = 16;
    public const int EmbeddingDimensions = 48;

    public required int Index { get; init; }
    public required Candidate Candidate { get; init; }
    public required int Models { get; init; }
    public required int PracticeAreas { get; init; }
    public required int Seeking { get; init; }
    public required int[] Languages { get; init; }
    public required Place? Place { get; init; }
    public required double UtcOffsetHours { get; init; }
    public required bool InPerson { get; init; }
    public required bool Online { get; init; }
    public required float[] Bio { get; init; }
    public required float[] Embedding { get; init; }

    /// <summary>The bio's words (vocabulary slots of the run, ascending) and their TF-IDF weights, unit length.</summary>
    public int[] BioTerms { get; init; } = [];

    public float[] BioWeights { get; init; } = [];

    /// <summary>What this person's own answers so far say (null before any), for the features that adapt to them.</summary>
    public AnswerHistory? History { get; init; }

    public string Id => Candidate.Id;
    public Profile Profile => Candidate.Profile;
    public int Years => Profile.YearsExperience;

    /// <summary>Three-hour bands of UTC offset: people in neighbouring bands share working hours.</summary>
    public int TimeBand => (int)Math.Floor((UtcOffsetHours + 12) / 3);

    private static readonly FrozenDictionary<string, int> SeekingBits =
        ReferenceData.Seeking.ToFrozenDictionary(s => s, s => Bit(ReferenceData.Seeking, s), StringComparer.Ordinal);

    public bool Seeks(string what) => (Seeking & SeekingBits.GetValueOrDefault(what)) != 0;

    internal static int Mask(IReadOnlyList<string> values, IReadOnlyList<string> vocabulary)
    {
        var mask = 0;
        foreach (var value in values)
        {
            mask |= Bit(vocabulary, value);
        }
        return mask;
    }

    internal static int Bit(IReadOnlyList<string> vocabulary, string value)
    {
        for (var i = 0; i < vocabulary.Count; i++)
        {
            if (vocabulary[i] == value)
            {
                return 1 << i;
            }
        }
        return 0;
    }

    internal static float Jaccard(int a, int b)
    {
        var union = BitOperations.PopCount((uint)(a | b));
        return union == 0 ? 0 : BitOperations.PopCount((uint)(a & b)) / (float)union;
    }

    /// <summary>The cosine of two sparse unit vectors given as ascending indices and their values.</summary>
    internal static float SparseCosine(int[] aTerms, float[] aWeights, int[] bTerms, float[] bWeights)
    {
        float dot = 0;
        for (int i = 0, j = 0; i < aTerms.Length && j < bTerms.Length;)
        {
            if (aTerms[i] == bTerms[j])
            {
                dot += aWeights[i++] * bWeights[j++];
            }
            else if (aTerms[i] < bTerms[j])
            {
                i++;
            }
            else
            {
                j++;
            }
        }
        return dot;
    }

    internal static int SharedCount(int[] a, int[] b)
    {
        var shared = 0;
        foreach (var x in a)
        {
            if (Array.IndexOf(b, x) >= 0)
            {
                shared++;
            }
        }
        return shared;
    }
}
