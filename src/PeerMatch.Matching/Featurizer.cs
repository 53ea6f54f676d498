using System.Collections.Frozen;
using System.Numerics.Tensors;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Text;
using PeerMatch.Places;
using PeerMatch.Matching.Geo;
using PeerMatch.Practitioners;

namespace PeerMatch.Matching;

/// <summary>Turns candidates into <see cref="MatchProfile"/>s; bios go through ML.NET's FeaturizeText.</summary>
public static class Featurizer
{
    private static readonly FrozenDictionary<string, int> LanguageIndex = PlaceNames.Languages
        .Select(l => l.Code).Order(StringComparer.Ordinal).Select((code, i) => (code, i)).ToFrozenDictionary(x => x.code, x => x.i);

    private static readonly string[] LanguageCodes = LanguageIndex.OrderBy(l => l.Value).Select(l => l.Key).ToArray();

    /// <summary>The ISO 639-1 code behind a language's index in <see cref="MatchProfile.Languages"/>.</summary>
    public static string LanguageCode(int index) => LanguageCodes[index];

    /// <summary>The index of an ISO 639-1 code, or -1 for a language PeerMatch does not know.</summary>
    public static int LanguageOf(string code) => LanguageIndex.GetValueOrDefault(code, -1);

    public static MatchProfile[] Featurize(IReadOnlyList<Candidate> candidates, DateTimeOffset now, IReadOnlyDictionary<string, AnswerHistory>? histories = null)
    {
        var bios = BioVectors(candidates);
        var profiles = new MatchProfile[candidates.Count];
        var zones = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var i = 0; i < candidates.Count; i++)
        {
            var profile = candidates[i].Profile;
            if (!zones.TryGetValue(profile.Region.TimeZone, out var offset))
            {
                offset = TimeZoneInfo.TryFindSystemTimeZoneById(profile.Region.TimeZone, out var zone) ? zone.GetUtcOffset(now).TotalHours : 0;
                zones[profile.Region.TimeZone] = offset;
            }
            var models = MatchProfile.Mask(profile.Models, ReferenceData.Models);
            var areas = MatchProfile.Mask(profile.PracticeAreas, ReferenceData.PracticeAreas);
            var seeking = MatchProfile.Mask(profile.Seeking, ReferenceData.Seeking);
            profiles[i] = new MatchProfile
            {
                Index = i,
                Candidate = candidates[i],
                Models = models,
                PracticeAreas = areas,
                Seeking = seeking,
                Languages = profile.Languages.Select(l => LanguageIndex.GetValueOrDefault(l, -1)).Where(l => l >= 0).Order().ToArray(),
                Place = Locations.Locate(profile.Region),
                UtcOffsetHours = offset,
                InPerson = profile.Meeting is "in-person" or "either",
                Online = profile.Meeting is "online" or "either",
                Bio = bios[i].Folded,
                BioTerms = bios[i].Terms,
                BioWeights = bios[i].Weights,
                History = histories?.GetValueOrDefault(candidates[i].Id),
                Embedding = Embed(models, areas, seeking, profile, bios[i].Folded),
            };
        }
        return profiles;
    }

    /// <summary>
    /// What candidate generation compares: models weigh most, then bio, practice areas, what people
    /// seek and experience. Unit length, so a dot product is a cosine.
    /// </summary>
    private static float[] Embed(int models, int areas, int seeking, Profile profile, float[] bio)
    {
        var v = new float[MatchProfile.EmbeddingDimensions];
        for (var i = 0; i < ReferenceData.Models.Count; i++)
        {
            v[i] = (models >> i & 1) * 1.0f;
        }
        for (var i = 0; i < ReferenceData.PracticeAreas.Count; i++)
        {
            v[8 + i] = (areas >> i & 1) * 0.4f;
        }
        for (var i = 0; i < ReferenceData.Seeking.Count; i++)
        {
            v[20 + i] = (seeking >> i & 1) * 0.4f;
        }
        v[27] = profile.YearsExperience / 30f;
        for (var i = 0; i < MatchProfile.BioDimensions; i++)
        {
            v[28 + i] = bio[i] * 1.2f;
        }
        var norm = TensorPrimitives.Norm(v);
        if (norm > 0)
        {
            TensorPrimitives.Divide(v, norm, v);
        }
        return v;
    }

    private sealed class BioRow
    {
        public string Bio { get; set; } = "";
    }

    /// <summary>
    /// FeaturizeText (words, stop words removed, L2) over every bio of the run: folded into
    /// <see cref="MatchProfile.BioDimensions"/> signed hash buckets (small and dense, for candidate generation), and
    /// kept whole with each word weighted by how rare it is among this run's bios (TF-IDF, unit length), so that two bios
    /// sharing a topic's words are alike and two sharing "mediation" are not.
    /// </summary>
    private static (float[] Folded, int[] Terms, float[] Weights)[] BioVectors(IReadOnlyList<Candidate> candidates)
    {
        var vectors = new (float[] Folded, int[] Terms, float[] Weights)[candidates.Count];
        var sparse = new List<(int[] Terms, float[] Tf)>(candidates.Count);
        var documentFrequency = new Dictionary<int, int>();
        var ml = new MLContext(seed: 1);
        // One extra row with a word of its own keeps the vocabulary from being empty (no bios at all,
        // or only stop words), which FeaturizeText cannot handle; its vector is dropped below.
        var rows = ml.Data.LoadFromEnumerable(candidates.Select(c => new BioRow { Bio = c.Profile.Bio ?? "" }).Append(new BioRow { Bio = "peermatchvocabularyanchor" }));
        var options = new TextFeaturizingEstimator.Options
        {
            CaseMode = TextNormalizingEstimator.CaseMode.Lower,
            KeepDiacritics = false,
            KeepPunctuations = false,
            StopWordsRemoverOptions = new StopWordsRemovingEstimator.Options(),
            WordFeatureExtractor = new WordBagEstimator.Options { NgramLength = 1, UseAllLengths = false },
            CharFeatureExtractor = null,
            Norm = TextFeaturizingEstimator.NormFunction.L2,
        };
        var featurized = ml.Transforms.Text.FeaturizeText("Features", options, nameof(BioRow.Bio)).Fit(rows).Transform(rows);

        var i = 0;
        foreach (var vector in featurized.GetColumn<VBuffer<float>>("Features").Take(candidates.Count))
        {
            var (terms, tf) = Terms(vector);
            foreach (var term in terms)
            {
                documentFrequency[term] = documentFrequency.GetValueOrDefault(term) + 1;
            }
            sparse.Add((terms, tf));
            vectors[i++] = (Folded(vector), [], []);
        }
        for (var p = 0; p < sparse.Count; p++)
        {
            var (terms, tf) = sparse[p];
            var weights = new float[terms.Length];
            for (var k = 0; k < terms.Length; k++)
            {
                weights[k] = tf[k] * (float)Math.Log((1.0 + candidates.Count) / (1.0 + documentFrequency[terms[k]]));
            }
            var norm = TensorPrimitives.Norm(weights);
            if (norm > 0)
            {
                TensorPrimitives.Divide(weights, norm, weights);
            }
            vectors[p] = (vectors[p].Folded, terms, weights);
        }
        return vectors;
    }

    /// <summary>A bio's word vector folded into <see cref="MatchProfile.BioDimensions"/> signed hash buckets, unit length.</summary>
    private static float[] Folded(VBuffer<float> vector)
    {
        var folded = new float[MatchProfile.BioDimensions];
        var indices = vector.GetIndices();
        var values = vector.GetValues();
        for (var k = 0; k < values.Length; k++)
        {
            var slot = vector.IsDense ? k : indices[k];
            var hash = (uint)slot * 2654435761u;
            folded[hash >> 28] += (hash & 0x100) == 0 ? values[k] : -values[k];
        }
        var norm = TensorPrimitives.Norm(folded);
        if (norm > 0)
        {
            TensorPrimitives.Divide(folded, norm, folded);
        }
        return folded;
    }

    /// <summary>A bio's words (their slots in the run's vocabulary) and how much each weighs in it.</summary>
    private static (int[] Terms, float[] Tf) Terms(VBuffer<float> vector)
    {
        var indices = vector.GetIndices();
        var values = vector.GetValues();
        var terms = new List<int>();
        var tf = new List<float>();
        for (var k = 0; k < values.Length; k++)
        {
            if (values[k] != 0)
            {
                terms.Add(vector.IsDense ? k : indices[k]);
                tf.Add(values[k]);
            }
        }
        return (terms.ToArray(), tf.ToArray());
    }
}
