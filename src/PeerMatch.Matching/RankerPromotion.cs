using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace PeerMatch.Matching;

/// <summary>
/// The outcome of a retraining: the challenger's and the incumbent's NDCG@3 on the same held-out practitioners (those
/// whose answers hold a "yes" and a "no"), and how sure the comparison is: the share of resamplings of those people in
/// which the challenger ranks better.
/// </summary>
public sealed record PromotionResult(LearnedRanker? Challenger, double ChallengerNdcg, double IncumbentNdcg, int TrainingExamples, int HeldOutExamples, double Confidence = 0)
{
    /// <summary>How sure a challenger must be of ranking better to replace the serving model.</summary>
    public const double RequiredConfidence = 0.9;

    public bool Promoted => Challenger is not null && ChallengerNdcg > IncumbentNdcg && Confidence >= RequiredConfidence;

    /// <summary>What the retraining did, in words for the organizer watching a run.</summary>
    public string Summary => Challenger is null
        ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{TrainingExamples + HeldOutExamples} answers: too few to train a challenger")
        : string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"challenger {Challenger.Version}: NDCG@3 {ChallengerNdcg:0.000} against {IncumbentNdcg:0.000} on {HeldOutExamples} held-out answers, better in {Confidence:P0} of resamplings; {(Promoted ? "promoted" : "the serving model stays")}");
}

/// <summary>
/// Retraining with a guard: answers are split by practitioner (a fifth held out), a challenger is trained on the rest,
/// and it replaces the incumbent only if it ranks the held-out practitioners' answers better, and surely so: in at
/// least <see cref="PromotionResult.RequiredConfidence"/> of resamplings of those practitioners. Three answers a week
/// per person make a noisy judge; a challenger that wins by luck on them stays out.
/// </summary>
public static class RankerPromotion
{
    public const int MinimumExamples = 100;
    public const int MinimumOfEachAnswer = 10;

    public static PromotionResult Challenge(IReadOnlyList<LabelledPair> answers, IPairScorer incumbent, string version)
    {
        var heldOut = answers.Where(a => IsHeldOut(a.PractitionerId)).ToList();
        var training = answers.Where(a => !IsHeldOut(a.PractitionerId)).ToList();
        var incumbentByPerson = RankingMetrics.NdcgAt3ByPerson(incumbent, heldOut);
        var incumbentNdcg = incumbentByPerson.Count == 0 ? 0 : incumbentByPerson.Values.Average();
        if (training.Count < MinimumExamples
            || training.Count(a => a.Accepted) < MinimumOfEachAnswer
            || training.Count(a => !a.Accepted) < MinimumOfEachAnswer
            || !heldOut.Any(a => a.Accepted))
        {
            // Too few answers to learn from, or to judge by: the incumbent stays.
            return new PromotionResult(null, 0, incumbentNdcg, training.Count, heldOut.Count);
        }
        var challenger = LearnedRanker.Train(training, version);
        var challengerByPerson = RankingMetrics.NdcgAt3ByPerson(challenger, heldOut);
        var gains = challengerByPerson.Keys.Order(StringComparer.Ordinal).Select(p => challengerByPerson[p] - incumbentByPerson[p]).ToArray();
        var challengerNdcg = challengerByPerson.Count == 0 ? 0 : challengerByPerson.Values.Average();
        return new PromotionResult(challenger, challengerNdcg, incumbentNdcg, training.Count, heldOut.Count, Confidence(gains));
    }

    /// <summary>The share of resamplings (people drawn with replacement) in which the mean gain is above zero.</summary>
    private static double Confidence(double[] gains)
    {
        const int Resamplings = 400;
        if (gains.Length == 0)
        {
            return 0;
        }
        var random = new Random(gains.Length);
        var better = 0;
        for (var r = 0; r < Resamplings; r++)
        {
            var sum = 0.0;
            for (var i = 0; i < gains.Length; i++)
            {
                sum += gains[random.Next(gains.Length)];
            }
            better += sum > 0 ? 1 : 0;
        }
        return better / (double)Resamplings;
    }

    /// <summary>A stable fifth of practitioners, chosen by a hash of their id.</summary>
    public static bool IsHeldOut(string practitionerId) =>
        BinaryPrimitives.ReadUInt32LittleEndian(SHA256.HashData(Encoding.UTF8.GetBytes(practitionerId))) % 5 == 0;
}
