using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace PeerMatch.Matching;

/// <summary>The outcome of a retraining: the challenger's and the incumbent's NDCG@3 on the same held-out answers.</summary>
public sealed record PromotionResult(LearnedRanker? Challenger, double ChallengerNdcg, double IncumbentNdcg, int TrainingExamples, int HeldOutExamples)
{
    public bool Promoted => Challenger is not null && ChallengerNdcg > IncumbentNdcg;

    /// <summary>What the retraining did, in words for the organizer watching a run.</summary>
    public string Summary => Challenger is null
        ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{TrainingExamples + HeldOutExamples} answers: too few to train a challenger")
        : string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"challenger {Challenger.Version}: NDCG@3 {ChallengerNdcg:0.000} against {IncumbentNdcg:0.000} on {HeldOutExamples} held-out answers; {(Promoted ? "promoted" : "the serving model stays")}");
}

/// <summary>
/// Retraining with a guard: answers are split by practitioner (a fifth held out), a challenger is
/// trained on the rest, and it replaces the incumbent only if it ranks the held-out answers better.
/// </summary>
public static class RankerPromotion
{
    public const int MinimumExamples = 100;
    public const int MinimumOfEachAnswer = 10;

    public static PromotionResult Challenge(IReadOnlyList<LabelledPair> answers, IPairScorer incumbent, string version)
    {
        var heldOut = answers.Where(a => IsHeldOut(a.PractitionerId)).ToList();
        var training = answers.Where(a => !IsHeldOut(a.PractitionerId)).ToList();
        var incumbentNdcg = RankingMetrics.NdcgAt3(incumbent, heldOut);
        if (training.Count < MinimumExamples
            || training.Count(a => a.Accepted) < MinimumOfEachAnswer
            || training.Count(a => !a.Accepted) < MinimumOfEachAnswer
            || !heldOut.Any(a => a.Accepted))
        {
            // Too few answers to learn from, or to judge by: the incumbent stays.
            return new PromotionResult(null, 0, incumbentNdcg, training.Count, heldOut.Count);
        }
        var challenger = LearnedRanker.Train(training, version);
        return new PromotionResult(challenger, RankingMetrics.NdcgAt3(challenger, heldOut), incumbentNdcg, training.Count, heldOut.Count);
    }

    /// <summary>A stable fifth of practitioners, chosen by a hash of their id.</summary>
    public static bool IsHeldOut(string practitionerId) =>
        BinaryPrimitives.ReadUInt32LittleEndian(SHA256.HashData(Encoding.UTF8.GetBytes(practitionerId))) % 5 == 0;
}
