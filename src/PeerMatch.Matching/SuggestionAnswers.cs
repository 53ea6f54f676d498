using PeerMatch.Email;
using PeerMatch.Practitioners;

namespace PeerMatch.Matching;

/// <summary>What an answer did: the answer that counts (the first one), and whether the pair is introduced (both said yes).</summary>
public sealed record AnswerOutcome(string Answer, bool Introduced);

/// <summary>A suggestion made to someone, with the peer it names.</summary>
public sealed record SuggestionWithPeer(StoredSuggestion Suggestion, Practitioner Peer);

/// <summary>
/// Answers to suggestions and to follow-ups. The first answer counts; the second "yes" of a pair
/// introduces both, once; two weeks later each is asked whether they met.
/// </summary>
public sealed class SuggestionAnswers(
    ISuggestionStore suggestions,
    IIntroductionStore introductions,
    IPractitionerRepository practitioners,
    IEmailScheduler emails,
    TimeProvider clock)
{
    /// <summary>After this long, each of an introduced pair is asked whether they met.</summary>
    public static readonly TimeSpan FollowUpAfter = TimeSpan.FromDays(14);

    public static bool IsYesOrNo(string? answer) => answer is "yes" or "no";

    /// <summary>A suggestion to <paramref name="practitionerId"/> with the peer it names, or null when either is gone.</summary>
    public async Task<SuggestionWithPeer?> FindAsync(string practitionerId, string suggestionId, CancellationToken cancellationToken)
    {
        var suggestion = await suggestions.GetAsync(practitionerId, suggestionId, cancellationToken);
        var peer = suggestion is null ? null : await practitioners.GetAsync(suggestion.PeerId, cancellationToken);
        return peer is null ? null : new(suggestion!, peer);
    }

    /// <summary>Whether both sides of this suggestion said yes (the pair is introduced, or about to be).</summary>
    public async Task<bool> IsIntroducedAsync(StoredSuggestion suggestion, CancellationToken cancellationToken) =>
        suggestion.Answer == "yes" && (await suggestions.GetAsync(suggestion.PeerId, suggestion.ReciprocalId, cancellationToken))?.Answer == "yes";

    /// <summary>Records the answer (the first counts) and introduces the pair at the second yes; null when the suggestion is gone (erased).</summary>
    public async Task<AnswerOutcome?> AnswerAsync(StoredSuggestion suggestion, string answer, CancellationToken cancellationToken)
    {
        EnsureYesOrNo(answer);
        if (await RecordOnceAsync(suggestion, AnswerField.Answer, answer, cancellationToken) is not { } final)
        {
            return null;
        }
        if (final != "yes")
        {
            return new AnswerOutcome(final, false);
        }

        // Checked on every "yes", not only the first: if a crash came between recording the answer
        // and queueing the introduction, the next click finishes the job. The job ids make a repeated
        // enqueue harmless; the introduction record says whether this was the first time.
        var reciprocal = await suggestions.GetAsync(suggestion.PeerId, suggestion.ReciprocalId, cancellationToken);
        if (reciprocal?.Answer != "yes")
        {
            return new AnswerOutcome(final, false);
        }
        var pair = string.CompareOrdinal(suggestion.PractitionerId, suggestion.PeerId) < 0
            ? $"{suggestion.PractitionerId}-{suggestion.PeerId}" : $"{suggestion.PeerId}-{suggestion.PractitionerId}";
        await emails.EnqueueAsync(MatchingEmailJobs.Introduction(pair, suggestion), cancellationToken);
        await emails.EnqueueAsync(MatchingEmailJobs.Introduction(pair, reciprocal), cancellationToken);
        // Recorded once, by whichever "yes" comes first; every answer from now on says the pair is introduced, as the page does.
        await introductions.TryRecordAsync(suggestion, reciprocal, clock.GetUtcNow(), cancellationToken);

        // An erase marks the profile before it sweeps the stores: if either of the two is being erased now, the sweep
        // may have passed the introductions before this row was written, so it goes with them. (If neither is, any
        // erase starts after this write, and its sweep finds the row.)
        foreach (var id in new[] { suggestion.PractitionerId, suggestion.PeerId })
        {
            if (await practitioners.GetAsync(id, cancellationToken) is null)
            {
                await introductions.EraseAsync(id, cancellationToken);
                return id == suggestion.PractitionerId ? null : new AnswerOutcome(final, false);
            }
        }
        return new AnswerOutcome(final, true);
    }

    /// <summary>Records the answer to "did you meet?"; it counts in training (a "yes" whose pair never met is no success). Null when the suggestion is gone.</summary>
    public Task<string?> RecordMetAsync(StoredSuggestion suggestion, string met, CancellationToken cancellationToken)
    {
        EnsureYesOrNo(met);
        return RecordOnceAsync(suggestion, AnswerField.Met, met, cancellationToken);
    }

    /// <summary>Queues a follow-up to both sides of every introduction that is two weeks old and not followed up yet.</summary>
    public async Task<int> QueueDueFollowUpsAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var due = await introductions.AwaitingFollowUpAsync(now - FollowUpAfter, cancellationToken);
        foreach (var introduction in due)
        {
            await emails.EnqueueAsync(MatchingEmailJobs.FollowUp(introduction, introduction.Low), cancellationToken);
            await emails.EnqueueAsync(MatchingEmailJobs.FollowUp(introduction, introduction.High), cancellationToken);
            await introductions.MarkFollowUpQueuedAsync(introduction, now, cancellationToken);
        }
        return due.Count;
    }

    /// <summary>The answer that counts: this one when it was the first, otherwise the one recorded before; null when the suggestion is gone.</summary>
    private async Task<string?> RecordOnceAsync(StoredSuggestion suggestion, AnswerField field, string value, CancellationToken cancellationToken)
    {
        switch (await suggestions.TryRecordOnceAsync(suggestion, field, value, clock.GetUtcNow(), cancellationToken))
        {
            case RecordedOnce.Recorded:
                return value;
            case RecordedOnce.Gone:
                return null;
        }
        var stored = await suggestions.GetAsync(suggestion.PractitionerId, suggestion.Id, cancellationToken);
        return stored is null ? null : (field == AnswerField.Answer ? stored.Answer : stored.Met) ?? value;
    }

    private static void EnsureYesOrNo(string answer)
    {
        if (!IsYesOrNo(answer))
        {
            throw new ArgumentException("An answer is yes or no.", nameof(answer));
        }
    }
}
