namespace PeerMatch.Matching;

/// <summary>
/// What one practitioner's answers say so far: how many, how often yes, and where the peers they accepted and declined
/// stood (distance in thousands of km, and the signed experience gap, as the pair features hold them). It lets the
/// ranker follow a person who keeps declining far-away peers or accepting seniors; it is used for their own
/// suggestions only, and shown to nobody.
/// </summary>
public sealed record AnswerHistory(int Answers, float YesRate, float? AcceptedKm, float? DeclinedKm, float? AcceptedGap, float? DeclinedGap)
{
    private const int DistanceFeature = 23;
    private const int GapFeature = 16;

    /// <summary>How much nearer <paramref name="value"/> is to what was accepted than to what was declined (0 until both are known).</summary>
    public static float Leaning(float value, float? accepted, float? declined) =>
        accepted is { } yes && declined is { } no ? Math.Abs(value - no) - Math.Abs(value - yes) : 0;

    /// <summary>Each practitioner's history, from their answers (the features stored with each suggestion).</summary>
    public static IReadOnlyDictionary<string, AnswerHistory> From(IEnumerable<LabelledPair> answers) =>
        answers.Where(a => a.Features.Length == PairFeatures.Count)
            .GroupBy(a => a.PractitionerId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => new AnswerHistory(
                g.Count(),
                g.Count(a => a.Accepted) / (float)g.Count(),
                Mean(g.Where(a => a.Accepted), DistanceFeature),
                Mean(g.Where(a => !a.Accepted), DistanceFeature),
                Mean(g.Where(a => a.Accepted), GapFeature),
                Mean(g.Where(a => !a.Accepted), GapFeature)), StringComparer.Ordinal);

    private static float? Mean(IEnumerable<LabelledPair> answers, int feature)
    {
        var values = answers.Select(a => a.Features[feature]).ToList();
        return values.Count == 0 ? null : values.Average();
    }
}
