using System.Globalization;

namespace PeerMatch.Matching;

/// <summary>Answers that teach the ranker besides those to suggestions (a peer group's check-in, say), as labelled pairs.</summary>
public interface ITrainingExamples
{
    Task<IReadOnlyList<LabelledPair>> ExamplesAsync(CancellationToken cancellationToken);
}

/// <summary>Retraining: answers in, a challenger out, promoted only if it ranks held-out answers better.</summary>
public sealed class Retraining(ISuggestionStore suggestions, IRankerStore rankers, IEnumerable<ITrainingExamples> moreExamples, TimeProvider clock)
{
    public async Task<PromotionResult> RetrainAsync(CancellationToken cancellationToken) =>
        await RetrainAsync(await suggestions.AllAsync(cancellationToken).ToListAsync(cancellationToken), cancellationToken);

    /// <summary>Retrains on suggestions already read (the weekly plan reads them once for this and for its exclusions).</summary>
    public async Task<PromotionResult> RetrainAsync(IReadOnlyList<StoredSuggestion> history, CancellationToken cancellationToken)
    {
        var answers = history.Select(s => s.ToLabelledPair()).OfType<LabelledPair>().ToList();
        foreach (var source in moreExamples)
        {
            answers.AddRange(await source.ExamplesAsync(cancellationToken));
        }
        var incumbent = await rankers.CurrentAsync(cancellationToken);
        var version = clock.GetUtcNow().ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        var result = RankerPromotion.Challenge(answers, incumbent, version);
        if (result.Promoted)
        {
            await rankers.PromoteAsync(result.Challenger!, cancellationToken);
        }
        return result;
    }
}
