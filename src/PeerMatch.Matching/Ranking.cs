using Microsoft.ML;
using Microsoft.ML.Data;
using System.Globalization;
using System.IO.Compression;
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
    /// <summary>The working response of one Newton step of the logistic loss from the prior (see <see cref="LearnedRanker"/>).</summary>
    public float Label { get; set; }

    public float Weight { get; set; }

    [VectorType(PairFeatures.Count)]
    public float[] Features { get; set; } = [];
}

/// <summary>
/// The prior, calibrated on answers, plus what the answers add to it: the chance that a says yes to b is
/// σ(intercept + scale × prior + trees), where the LightGBM regression trees are fitted to the working response of one
/// Newton step of the logistic loss from the calibrated prior. Where the answers say nothing (a kind of pair the
/// serving model never suggested, so nobody answered it), the trees stay near zero and the prior's order stands;
/// a classifier fitted from scratch would instead treat what it never saw vary as not mattering (a ranker trained on
/// the prior's own suggestions, nearly all sharing a mediation model, learned that sharing one does not matter).
/// Scores through its trees compiled to flat arrays (<see cref="CompiledTrees"/>), keeping no state between calls, so
/// one instance serves many threads at once.
/// </summary>
public sealed class LearnedRanker : IPairScorer
{
    private const string TreesEntry = "trees.zip";
    private const string PriorEntry = "prior.txt";

    private readonly MLContext _ml = new(seed: 7);
    private readonly ITransformer _model;
    private readonly DataViewSchema _schema;
    private readonly CompiledTrees _trees;
    private readonly PriorCalibration _prior;

    private LearnedRanker(ITransformer model, DataViewSchema schema, CompiledTrees trees, PriorCalibration prior, string version)
    {
        (_model, _schema, _trees, _prior) = (model, schema, trees, prior);
        Version = version;
    }

    public string Version { get; }

    public string Name => "ranker " + Version;

    public float MinimumScore => 0.2f;

    public static LearnedRanker Train(IReadOnlyList<LabelledPair> examples, string version, int seed = 7)
    {
        var prior = PriorCalibration.Fit(examples);
        var ml = new MLContext(seed);
        var data = ml.Data.LoadFromEnumerable(examples.Select(e =>
        {
            var p = prior.Probability(e.Features[PairFeatures.PriorIndex]);
            var weight = Math.Max(p * (1 - p), 0.01);
            return new PairRow { Label = (float)Math.Clamp(((e.Accepted ? 1 : 0) - p) / weight, -4, 4), Weight = (float)weight, Features = e.Features };
        }));
        var trainer = ml.Regression.Trainers.LightGbm(new LightGbmRegressionTrainer.Options
        {
            // Small trees, few of them: a few thousand answers a week, and a correction to the prior rather than a model of
            // everything (with 8 leaves and 80 trees the learning evaluation gains more on four families of five than
            // with 16 and 120).
            NumberOfIterations = 80,
            LearningRate = 0.08,
            NumberOfLeaves = 8,
            MinimumExampleCountPerLeaf = Math.Clamp(examples.Count / 200, 5, 50),
            ExampleWeightColumnName = nameof(PairRow.Weight),
            Seed = seed,
            NumberOfThreads = 1,
            Verbose = false,
            Silent = true,
        });
        var model = trainer.Fit(data);
        var trees = CompiledTrees.From(model) ?? throw new InvalidOperationException("LightGBM returned a model whose trees cannot be compiled.");
        return new LearnedRanker(model, data.Schema, trees, prior, version);
    }

    /// <summary>
    /// A stored ranker, or null when an older engine stored it (other pair features, or no calibrated prior) or its
    /// trees are not ones this engine can walk: the prior serves until a ranker is trained on today's pairs.
    /// </summary>
    public static LearnedRanker? Load(Stream stream, string version)
    {
        using var archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        if (archive.GetEntry(TreesEntry) is not { } treesEntry || archive.GetEntry(PriorEntry) is not { } priorEntry)
        {
            return null;
        }
        PriorCalibration prior;
        using (var reader = new StreamReader(priorEntry.Open()))
        {
            prior = PriorCalibration.Parse(reader.ReadToEnd());
        }
        using var treesStream = new MemoryStream();
        using (var entry = treesEntry.Open())
        {
            entry.CopyTo(treesStream);
        }
        treesStream.Position = 0;
        var ml = new MLContext(seed: 7);
        var model = ml.Model.Load(treesStream, out var schema);
        var features = schema.GetColumnOrNull(nameof(PairRow.Features))?.Type as VectorDataViewType;
        return features?.Size == PairFeatures.Count && CompiledTrees.From(model) is { } trees ? new LearnedRanker(model, schema, trees, prior, version) : null;
    }

    /// <summary>A zip of two entries: the ML.NET model of the trees, and the prior's calibration as text.</summary>
    public void Save(Stream stream)
    {
        using var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        using (var trees = archive.CreateEntry(TreesEntry).Open())
        {
            _ml.Model.Save(_model, _schema, trees);
        }
        using var prior = new StreamWriter(archive.CreateEntry(PriorEntry).Open());
        prior.Write(_prior.ToString());
    }

    public void Score(ReadOnlySpan<float> features, Span<float> scores)
    {
        _trees.Score(features, scores, PairFeatures.Count);
        for (var i = 0; i < scores.Length; i++)
        {
            var margin = _prior.Margin(features[i * PairFeatures.Count + PairFeatures.PriorIndex]) + scores[i];
            scores[i] = (float)(1 / (1 + Math.Exp(-margin)));
        }
    }
}

/// <summary>
/// The prior's score as a chance of a yes: σ(intercept + <see cref="Scale"/> × prior), the intercept fitted to the
/// answers' rate of yes. The scale is fixed rather than fitted: fitted on answers to one serving model's own
/// suggestions, it shrinks towards zero whenever one part of the prior disagrees with the answers (people who want a
/// more senior peer), and with it goes what the other parts know and the answers cannot show (sharing a mediation
/// model, which nearly every suggested pair does). The trees correct the prior where the answers speak.
/// </summary>
internal readonly record struct PriorCalibration(double Intercept, double Scale)
{
    /// <summary>
    /// Logits per unit of prior score: 0.1 of prior (a shared model, say) is worth 0.8 in log-odds. Chosen with the
    /// learning evaluation (seeds 1 and 2): at 4 a challenger forgets that a shared model matters, at 8 it keeps it.
    /// </summary>
    public const double PriorScale = 8;

    public double Margin(float prior) => Intercept + Scale * prior;

    public double Probability(float prior) => 1 / (1 + Math.Exp(-Margin(prior)));

    /// <summary>The intercept by Newton's method on the log-loss, from the rate of yes, in damped steps.</summary>
    public static PriorCalibration Fit(IReadOnlyList<LabelledPair> examples)
    {
        var rate = Math.Clamp(examples.Average(e => e.Accepted ? 1.0 : 0), 0.01, 0.99);
        var intercept = Math.Log(rate / (1 - rate)) - PriorScale * examples.Average(e => e.Features[PairFeatures.PriorIndex]);
        for (var iteration = 0; iteration < 25; iteration++)
        {
            double gradient = 0, curvature = 1e-6;
            foreach (var example in examples)
            {
                var p = 1 / (1 + Math.Exp(-(intercept + PriorScale * example.Features[PairFeatures.PriorIndex])));
                gradient += (example.Accepted ? 1 : 0) - p;
                curvature += p * (1 - p);
            }
            var step = Math.Clamp(gradient / curvature, -1, 1);
            intercept += step;
            if (Math.Abs(step) < 1e-9)
            {
                break;
            }
        }
        return new PriorCalibration(intercept, PriorScale);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Intercept:R} {Scale:R}");

    public static PriorCalibration Parse(string text)
    {
        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return new PriorCalibration(double.Parse(parts[0], CultureInfo.InvariantCulture), double.Parse(parts[1], CultureInfo.InvariantCulture));
    }
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
