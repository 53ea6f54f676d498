using Microsoft.Extensions.Options;
using PeerMatch.Email;
using PeerMatch.Functions.Email;
using PeerMatch.Functions.Settings;
using PeerMatch.Functions.Storage;
using PeerMatch.Intake;
using PeerMatch.Matching;

namespace PeerMatch.Functions.Matching;

/// <summary>
/// A matching run. Plans the week once (retrain, then plan over everyone eligible, then store the
/// suggestions and who got none and why), then queues the digest of everyone whose local Monday
/// morning has come (everyone, when forced) and who has not had this week's digest. A repeated or
/// crashed run re-plans nothing that was stored and queues only what is still unqueued; the digest's
/// job id ("digest-{week}") makes a second send impossible even then.
/// </summary>
public sealed class MatchRunner(
    IPractitionerRepository practitioners,
    SuppressionTable suppressions,
    SuggestionTable suggestions,
    WeekPlanTable plans,
    MatchRunTable runs,
    ModelStore models,
    Retraining retraining,
    EmailJobScheduler emails,
    IOptions<PeerMatchOptions> options,
    TimeProvider clock,
    ILogger<MatchRunner> log)
{
    /// <summary>Nobody is suggested to the same person twice within this many weeks.</summary>
    public const int RepeatWindowWeeks = 12;

    public async Task RunAsync(MatchRunRequest request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var week = IsoWeeks.Planning(now);
        var (everyone, eligible) = await Population.LoadAsync(practitioners, suppressions, IsoWeeks.Monday(week), cancellationToken);

        if (request.DryRun)
        {
            var history = await suggestions.AllAsync(cancellationToken).ToListAsync(cancellationToken);
            var preview = await PlanAsync(eligible, history, now, cancellationToken);
            var items = preview.Suggestions.Select(s => new PreviewSuggestion(
                s.PractitionerId, everyone[s.PractitionerId].Profile.Name, s.PeerId, everyone[s.PeerId].Profile.Name, s.Score, s.Reasons)).ToList();
            await runs.CompleteAsync(request.RunId, week, eligible.Count, items.Count, emails: 0, items, cancellationToken);
            return;
        }

        var planned = 0;
        if (!await plans.IsPlannedAsync(week, cancellationToken))
        {
            if (await plans.TryClaimAsync(week, request.RunId, cancellationToken))
            {
                planned = await PlanWeekAsync(request.RunId, week, eligible, now, cancellationToken);
            }
            else
            {
                await WaitForPlanAsync(week, cancellationToken);
            }
        }

        var queued = 0;
        await foreach (var entry in plans.EntriesAsync(week, cancellationToken))
        {
            if (entry.DigestQueuedAt is not null
                || !everyone.TryGetValue(entry.PractitionerId, out var practitioner)
                || practitioner.PausedUntil > DateOnly.FromDateTime(now.UtcDateTime)
                || !(request.Force || IsoWeeks.IsDue(week, practitioner.Profile.Region.TimeZone, now)))
            {
                continue;
            }
            await emails.EnqueueAsync(new EmailJob($"digest-{week}", EmailKind.Digest, practitioner.Id, week), cancellationToken);
            await plans.MarkDigestQueuedAsync(week, practitioner.Id, now, cancellationToken);
            queued++;
        }
        await runs.CompleteAsync(request.RunId, week, eligible.Count, planned, queued, preview: null, cancellationToken);
    }

    /// <summary>Retrains, plans, and stores the week: the suggestions first, the plan (with its marker) last.</summary>
    private async Task<int> PlanWeekAsync(string runId, string week, List<Candidate> eligible, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // One read of the history serves both the retraining and the exclusions.
        var history = await suggestions.AllAsync(cancellationToken).ToListAsync(cancellationToken);
        await retraining.RetrainAsync(history, cancellationToken);
        var plan = await PlanAsync(eligible, history, now, cancellationToken);
        await suggestions.SaveAsync(plan.Suggestions.Select(s =>
            new StoredSuggestion(s.PractitionerId, s.PeerId, week, runId, s.Score, s.Reasons, s.Features, now)), cancellationToken);
        var counts = plan.Suggestions.GroupBy(s => s.PractitionerId).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        await plans.SaveAsync(week, runId, eligible.Select(c => new WeekPlanEntry(
            c.Id, counts.GetValueOrDefault(c.Id), plan.NoSuggestionReasons.GetValueOrDefault(c.Id), null)), cancellationToken);
        log.LogInformation("Week {Week}: {Suggestions} suggestions for {People} practitioners", week, plan.Suggestions.Count, eligible.Count);
        return plan.Suggestions.Count;
    }

    /// <summary>Another run is planning this week: wait for its plan, then send from it.</summary>
    private async Task WaitForPlanAsync(string week, CancellationToken cancellationToken)
    {
        var deadline = clock.GetUtcNow() + WeekPlanTable.ClaimLifetime;
        while (!await plans.IsPlannedAsync(week, cancellationToken))
        {
            if (clock.GetUtcNow() > deadline)
            {
                throw new TimeoutException($"Week {week} is being planned by another run that has not finished.");
            }
            await Task.Delay(TimeSpan.FromSeconds(1), clock, cancellationToken);
        }
    }

    private async Task<MatchPlan> PlanAsync(List<Candidate> eligible, IReadOnlyList<StoredSuggestion> history, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var since = now.AddDays(-7 * RepeatWindowWeeks);
        var excluded = history.Where(s => s.CreatedAt >= since || s.Answer == "no").Select(s => (s.PractitionerId, s.PeerId));
        var scorer = await models.CurrentAsync(cancellationToken);
        return new MatchPlanner(scorer, options.Value.SuggestionsPerWeek).Plan(eligible, excluded, now);
    }
}
