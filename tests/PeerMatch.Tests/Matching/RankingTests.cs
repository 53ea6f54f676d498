using System.Globalization;
using System.IO.Compression;
using Microsoft.ML;
using Microsoft.ML.Data;
using RankingMetrics = PeerMatch.Matching.RankingMetrics;
using PeerMatch.Bench;
using PeerMatch.Matching;

namespace PeerMatch.Tests.Matching;

public sealed class RankingTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Ndcg_is_one_for_a_perfect_order_and_lower_for_a_reversed_one()
    {
        var rows = Enumerable.Range(0, 4).Select(i => ("ada", i)).ToList();
        double[] relevance = [1, 0.5, 0, 0];

        Assert.Equal(1.0, RankingMetrics.MeanNdcg(rows, [4, 3, 2, 1], relevance, 3), 6);
        Assert.True(RankingMetrics.MeanNdcg(rows, [1, 2, 3, 4], relevance, 3) < 0.5);
    }

    [Fact]
    public void A_ranker_trained_on_answers_beats_the_prior_on_held_out_answers_and_is_promoted()
    {
        var answers = SimulatedAnswers(size: 3000, seed: 3);

        var result = RankerPromotion.Challenge(answers, PriorScorer.Instance, "test");

        Assert.True(result.Promoted, $"challenger {result.ChallengerNdcg:0.000} vs prior {result.IncumbentNdcg:0.000}");
        Assert.True(result.HeldOutExamples > 0);
    }

    [Fact]
    public void A_challenger_that_ranks_worse_is_not_promoted()
    {
        var answers = SimulatedAnswers(size: 3000, seed: 3);
        // An incumbent that knows the answers can't be beaten: the challenger must lose.
        var oracle = new OracleScorer(answers);

        var result = RankerPromotion.Challenge(answers, oracle, "test");

        Assert.NotNull(result.Challenger);
        Assert.True(result.IncumbentNdcg > 0.99, $"oracle {result.IncumbentNdcg}");
        Assert.True(result.ChallengerNdcg < result.IncumbentNdcg);
        Assert.False(result.Promoted);
    }

    [Fact]
    public void Too_few_answers_keep_the_incumbent()
    {
        var answers = SimulatedAnswers(size: 3000, seed: 3).Take(40).ToList();

        var result = RankerPromotion.Challenge(answers, PriorScorer.Instance, "test");

        Assert.Null(result.Challenger);
        Assert.False(result.Promoted);
    }

    [Fact]
    public void A_saved_ranker_loads_and_scores_the_same()
    {
        var answers = SimulatedAnswers(size: 800, seed: 5);
        var ranker = LearnedRanker.Train(answers, "v1");
        using var stream = new MemoryStream();
        ranker.Save(stream);
        stream.Position = 0;

        var loaded = LearnedRanker.Load(stream, "v1");

        Assert.NotNull(loaded);
        var features = answers.Take(50).SelectMany(a => a.Features).ToArray();
        var (before, after) = (new float[50], new float[50]);
        ranker.Score(features, before);
        loaded.Score(features, after);
        Assert.Equal(before, after);
        Assert.True(before.Distinct().Count() > 1);
    }

    [Fact]
    public void A_ranker_trained_on_an_older_engine_s_pair_features_is_not_loaded()
    {
        // A model stored by a version of the engine with 16 pair features.
        var ml = new MLContext(seed: 1);
        var random = new Random(1);
        var rows = Enumerable.Range(0, 200).Select(i => new OlderRow { Label = i % 2 == 0, Features = Enumerable.Range(0, 16).Select(_ => random.NextSingle()).ToArray() }).ToList();
        var data = ml.Data.LoadFromEnumerable(rows);
        var model = ml.BinaryClassification.Trainers.SdcaLogisticRegression(maximumNumberOfIterations: 5).Fit(data);
        using var stream = new MemoryStream();
        ml.Model.Save(model, data.Schema, stream);
        stream.Position = 0;

        Assert.NotEqual(16, PairFeatures.Count);
        Assert.Null(LearnedRanker.Load(stream, "older"));
    }

    private sealed class OlderRow
    {
        public bool Label { get; set; }

        [Microsoft.ML.Data.VectorType(16)]
        public float[] Features { get; set; } = [];
    }

    [Fact]
    public void The_ranker_scores_as_MLNET_does_with_its_stored_trees_and_calibrated_prior_before_and_after_a_save_and_load()
    {
        var answers = SimulatedAnswers(size: 800, seed: 6);
        var ranker = LearnedRanker.Train(answers, "v1");
        using var stored = new MemoryStream();
        ranker.Save(stored);

        // An independent judge of the compiled trees: ML.NET's own pipeline on the stored trees, plus the stored prior.
        stored.Position = 0;
        using var archive = new ZipArchive(stored, ZipArchiveMode.Read, leaveOpen: true);
        var prior = new StreamReader(archive.GetEntry("prior.txt")!.Open()).ReadToEnd().Split(' ').Select(x => double.Parse(x, CultureInfo.InvariantCulture)).ToArray();
        using var trees = new MemoryStream();
        archive.GetEntry("trees.zip")!.Open().CopyTo(trees);
        trees.Position = 0;
        var ml = new MLContext(seed: 1);
        var model = ml.Model.Load(trees, out _);
        var rows = answers.Take(600).Select(a => new CurrentRow { Features = a.Features }).ToList();
        var treeScores = model.Transform(ml.Data.LoadFromEnumerable(rows)).GetColumn<float>("Score").ToArray();
        var expected = rows.Select((r, i) => 1 / (1 + Math.Exp(-(prior[0] + prior[1] * r.Features[PairFeatures.PriorIndex] + treeScores[i])))).ToArray();

        var features = rows.SelectMany(r => r.Features).ToArray();
        var fresh = new float[rows.Count];
        ranker.Score(features, fresh);
        stored.Position = 0;
        var loaded = LearnedRanker.Load(stored, "v1")!;
        var afterLoad = new float[rows.Count];
        loaded.Score(features, afterLoad);

        Assert.True(expected.Distinct().Count() > 50, "the model should tell the pairs apart");
        Assert.Contains(treeScores, score => Math.Abs(score) > 0.1);
        for (var i = 0; i < rows.Count; i++)
        {
            Assert.Equal(expected[i], fresh[i], 4);
            Assert.Equal(expected[i], afterLoad[i], 4);
        }
    }

    [Fact]
    public void What_the_answers_never_vary_the_ranker_takes_from_the_prior()
    {
        // Answers only about pairs who share a mediation model, as when the prior suggested nearly nothing else.
        var answers = SimulatedAnswers(size: 1500, seed: 8).Where(a => a.Features[0] >= 1).ToList();
        Assert.True(answers.Count > 500 && answers.Any(a => a.Accepted) && answers.Any(a => !a.Accepted));
        var ranker = LearnedRanker.Train(answers, "v1");

        // The same pairs as if they shared no model: the prior's score loses its weight on shared models.
        var shared = answers.SelectMany(a => a.Features).ToArray();
        var unshared = answers.SelectMany(a =>
        {
            var f = (float[])a.Features.Clone();
            f[PairFeatures.PriorIndex] -= 0.30f * f[1] + 0.10f * Math.Min(f[0], 1);
            (f[0], f[1]) = (0, 0);
            return f;
        }).ToArray();
        var (withModel, withoutModel) = (new float[answers.Count], new float[answers.Count]);
        ranker.Score(shared, withModel);
        ranker.Score(unshared, withoutModel);

        var lower = withModel.Zip(withoutModel).Count(p => p.Second < p.First);
        // Without the prior's weight (its scale at 0) about one pair in ten scores lower, and the mean goes up.
        Assert.True(lower > 0.85 * answers.Count, $"{lower} of {answers.Count} pairs score lower without a shared model; {withModel.Average():0.000} with, {withoutModel.Average():0.000} without");
        Assert.True(withModel.Average() - withoutModel.Average() > 0.1, $"{withModel.Average():0.000} with, {withoutModel.Average():0.000} without");
    }

    private sealed class CurrentRow
    {
        public bool Label { get; set; }

        [Microsoft.ML.Data.VectorType(PairFeatures.Count)]
        public float[] Features { get; set; } = [];
    }

    private static List<LabelledPair> SimulatedAnswers(int size, int seed)
    {
        var population = SyntheticPopulation.Generate(size, seed);
        var people = Featurizer.Featurize(population.People, Now).ToDictionary(p => p.Id);
        var hidden = new HiddenPreference(population);
        var random = new Random(seed);
        var plan = new MatchPlanner(PriorScorer.Instance, candidatesPerPerson: 20).Plan(population.People, [], Now);
        return plan.Suggestions.Select(s =>
        {
            var features = new float[PairFeatures.Count];
            PairFeatures.Compute(people[s.PractitionerId], people[s.PeerId], features);
            return new LabelledPair(s.PractitionerId, s.PeerId, features, random.NextDouble() < hidden.Acceptance(people[s.PractitionerId], people[s.PeerId]));
        }).ToList();
    }

    private sealed class OracleScorer(List<LabelledPair> answers) : IPairScorer
    {
        private readonly Dictionary<string, bool> _truth = answers.GroupBy(a => string.Join(',', a.Features)).ToDictionary(g => g.Key, g => g.First().Accepted);

        public string Name => "oracle";

        public float MinimumScore => 0.5f;

        public void Score(ReadOnlySpan<float> features, Span<float> scores)
        {
            for (var i = 0; i < scores.Length; i++)
            {
                var key = string.Join(',', features.Slice(i * PairFeatures.Count, PairFeatures.Count).ToArray());
                scores[i] = _truth.TryGetValue(key, out var yes) && yes ? 1 : 0;
            }
        }
    }
}

public sealed class OfflineEvaluationTests
{
    [Fact]
    public void The_prior_beats_random_widely_and_the_trained_ranker_beats_the_prior()
    {
        var rows = OfflineEvaluation.Run(populationSize: 1500, seed: 11, TextWriter.Null).ToDictionary(r => r.Policy);

        var random = rows["random"];
        var prior = rows["prior (cold start)"];
        var trained = rows["ranker after 4 weeks"];
        Assert.True(prior.AcceptanceRate > random.AcceptanceRate + 0.15, $"prior {prior.AcceptanceRate:P1} vs random {random.AcceptanceRate:P1}");
        Assert.True(prior.NdcgAt3 > random.NdcgAt3, $"prior {prior.NdcgAt3:0.000} vs random {random.NdcgAt3:0.000}");
        Assert.True(trained.NdcgAt3 > prior.NdcgAt3, $"trained {trained.NdcgAt3:0.000} vs prior {prior.NdcgAt3:0.000}");
        Assert.True(trained.AcceptanceRate > prior.AcceptanceRate, $"trained {trained.AcceptanceRate:P1} vs prior {prior.AcceptanceRate:P1}");
    }
}
