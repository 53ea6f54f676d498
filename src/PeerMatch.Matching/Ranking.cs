using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.LightGbm;

namespace PeerMatch.Matching;

/// <summary>
/// Scores pairs from their <see cref="PairFeatures"/>: higher is a better suggestion for side a. A scorer may be called
/// from several threads at once, each with its own slice of pairs.
/// </summary>
public interface IPairScorer
{
    string Name { get; }

    /// <summary>Below this reciprocal score a pair is not good enough to suggest.</summary>
    float MinimumScore { get; }

    /// <summary><paramref name="features"/> holds <see cref="PairFeatures.Count"/> floats per pair.</summary>
    void Score(ReadOnlySpan<float> features, Span<float> scores);
}

/// <summary>The cold-start scorer: the transparent prior.</summary>
public sealed class PriorScorer : IPairScorer
{
    public static readonly PriorScorer Instance = new();

    public string Name => "prior";

    public float MinimumScore => 0.35f;

    public void Score(ReadOnlySpan<float> features, Span<float> scores)
    {
        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] = features[i * PairFeatures.Count + PairFeatures.PriorIndex];
        }
    }
}

/// <summary>One answer to a suggestion, as a training example: did <see cref="PractitionerId"/> want <see cref="PeerId"/>?</summary>
public sealed record LabelledPair(string PractitionerId, string PeerId, float[] Features, bool Accepted);

internal sealed class PairRow
{
    public bool Label { get; set; }

    [VectorType(PairFeatures.Count)]
    public float[] Features { get; set; } = [];
}

/// <summary>
/// A LightGBM binary classifier over pair features, trained on answers, scoring through its trees compiled to flat
/// arrays (<see cref="CompiledTrees"/>). It keeps no state between calls, so one instance serves many threads at once.
/// </summary>
public sealed class LearnedRanker : IPairScorer
{
    private readonly MLContext _ml = new(seed: 7);
    private readonly ITransformer _model;
    private readonly DataViewSchema _schema;
    private readonly CompiledTrees _trees;

    private LearnedRanker(ITransformer model, DataViewSchema schema, CompiledTrees trees, string version)
    {
        (_model, _schema, _trees) = (model, schema, trees);
        Version = version;
    }

    public string Version { get; }

    public string Name => "ranker " + Version;

    public float MinimumScore => 0.2f;

    public static LearnedRanker Train(IReadOnlyList<LabelledPair> examples, string version, int seed = 7)
    {
        var ml = new MLContext(seed);
        var data = ml.Data.LoadFromEnumerable(examples.Select(e => new PairRow { Label = e.Accepted, Features = e.Features }));
        var trainer = ml.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
        {
            NumberOfIterations = 120,
            LearningRate = 0.08,
            NumberOfLeaves = 16,
            MinimumExampleCountPerLeaf = Math.Clamp(examples.Count / 200, 5, 50),
            Seed = seed,
            NumberOfThreads = 1,
            Verbose = false,
            Silent = true,
        });
        var model = trainer.Fit(data);
        var trees = CompiledTrees.From(model) ?? throw new InvalidOperationException("LightGBM returned a model whose trees cannot be compiled.");
        return new LearnedRanker(model, data.Schema, trees, version);
    }

    /// <summary>
    /// A stored ranker, or null when it was trained on another set of pair features (an older version of the
    /// engine) or is not a tree model this engine can walk: the prior serves until a ranker is trained on today's pairs.
    /// </summary>
    public static LearnedRanker? Load(Stream stream, string version)
    {
        var ml = new MLContext(seed: 7);
        var model = ml.Model.Load(stream, out var schema);
        var features = schema.GetColumnOrNull(nameof(PairRow.Features))?.Type as VectorDataViewType;
        return features?.Size == PairFeatures.Count && CompiledTrees.From(model) is { } trees ? new LearnedRanker(model, schema, trees, version) : null;
    }

    public void Save(Stream stream) => _ml.Model.Save(_model, _schema, stream);

    public void Score(ReadOnlySpan<float> features, Span<float> scores) => _trees.Score(features, scores, PairFeatures.Count);
}

/// <summary>Offline measures of a scorer against answers.</summary>
public static class RankingMetrics
{
    /// <summary>
    /// Mean NDCG@3 over practitioners with at least one "yes": how well the scorer puts the peers a
    /// person accepted among their top three.
    /// </summary>
    public static double NdcgAt3(IPairScorer scorer, IReadOnlyList<LabelledPair> examples)
    {
        var features = new float[examples.Count * PairFeatures.Count];
        for (var i = 0; i < examples.Count; i++)
        {
            examples[i].Features.CopyTo(features, i * PairFeatures.Count);
        }
        var scores = new float[examples.Count];
        scorer.Score(features, scores);
        var relevance = examples.Select(e => e.Accepted ? 1.0 : 0.0).ToArray();
        return MeanNdcg(examples.Select((e, i) => (e.PractitionerId, i)), scores, relevance, 3);
    }

    /// <summary>
    /// NDCG@3 of each practitioner whose answers can tell a better ranking from a worse one (at least one "yes" and one
    /// "no"): by practitioner, so that a comparison can resample people.
    /// </summary>
    public static Dictionary<string, double> NdcgAt3ByPerson(IPairScorer scorer, IReadOnlyList<LabelledPair> examples)
    {
        var features = new float[examples.Count * PairFeatures.Count];
        for (var i = 0; i < examples.Count; i++)
        {
            examples[i].Features.CopyTo(features, i * PairFeatures.Count);
        }
        var scores = new float[examples.Count];
        scorer.Score(features, scores);
        var byPerson = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var person in examples.Select((e, i) => (e, i)).GroupBy(x => x.e.PractitionerId))
        {
            if (person.All(x => x.e.Accepted) || person.All(x => !x.e.Accepted))
            {
                continue;
            }
            var ideal = Dcg(person.Select(x => x.e.Accepted ? 1.0 : 0).OrderDescending(), 3);
            byPerson[person.Key] = Dcg(person.OrderByDescending(x => scores[x.i]).Select(x => x.e.Accepted ? 1.0 : 0), 3) / ideal;
        }
        return byPerson;
    }

    /// <summary>Mean NDCG@k over groups, for graded relevance; groups with no relevance are skipped.</summary>
    public static double MeanNdcg(IEnumerable<(string Group, int Row)> rows, IReadOnlyList<float> scores, IReadOnlyList<double> relevance, int k)
    {
        var total = 0.0;
        var groups = 0;
        foreach (var group in rows.GroupBy(r => r.Group, r => r.Row))
        {
            var members = group.ToArray();
            var ideal = Dcg(members.Select(r => relevance[r]).OrderDescending(), k);
            if (ideal <= 0)
            {
                continue;
            }
            total += Dcg(members.OrderByDescending(r => scores[r]).Select(r => relevance[r]), k) / ideal;
            groups++;
        }
        return groups == 0 ? 0 : total / groups;
    }

    private static double Dcg(IEnumerable<double> ranked, int k) =>
        ranked.Take(k).Select((rel, i) => (Math.Pow(2, rel) - 1) / Math.Log2(i + 2)).Sum();
}
