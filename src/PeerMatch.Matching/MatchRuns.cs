using PeerMatch.Email;
using PeerMatch.Matching.Groups;
using PeerMatch.Practitioners;

namespace PeerMatch.Matching;

/// <summary>Settings of the weekly matching.</summary>
/// <summary>
/// Matching's settings, declared once (bound from <c>PeerMatch__SuggestionsPerWeek</c> and
/// <c>PeerMatch__ExplorationShare</c>): the suggestions in a weekly digest, and the share of people drawn each week to
/// get one suggestion chosen to learn from (a random pair above the quality floor) rather than the best; their peers
/// get it too. Exploring is off by default: the learning evaluation finds it does not pay within six weeks.
/// </summary>
public sealed record MatchingSettings
{
    public const int DefaultSuggestionsPerWeek = 3;

    [System.ComponentModel.DataAnnotations.Range(1, 10)]
    public int SuggestionsPerWeek { get; set; } = DefaultSuggestionsPerWeek;

    [System.ComponentModel.DataAnnotations.Range(0, 0.34)]
    public double ExplorationShare { get; set; }
}

/// <summary>
/// What a run did: the week, how many practitioners the week's plan holds, how many suggestions the run
/// made, how many digests it queued, how many practitioners it planned (everyone, for the week's
/// first run; late joiners, for later ones), which model serves now, and what the week's retraining did
/// (only the run that plans the week retrains), so that an organizer can see learning happen.
/// </summary>
public sealed record MatchRunOutcome(string Week, int Practitioners, int Suggestions, int DigestsQueued, int NewlyPlanned = 0, string? Model = null, string? Training = null, int Explored = 0);

/// <summary>
/// Matching runs. A run plans the ISO week once (retrain, then plan over everyone eligible, then store
/// the suggestions and who got none and why); later runs that week plan those who joined since against
/// everyone's remaining capacity. Then a run queues the digest of everyone whose local Monday morning has
/// come (everyone, when forced) and whose digest is not queued yet. A repeated or crashed run re-plans
/// nothing that was stored and queues only what is still unqueued; the digest's job id ("digest-{week}")
/// makes a second send impossible even then. Each run also forms the week's peer groups (once) and takes the groups'
/// time-based steps (<paramref name="forming"/>, <paramref name="settling"/>; matching alone leaves them out).
/// </summary>
public sealed class MatchRuns(
    IPractitionerRepository practitioners,
    ISuppressionList suppressions,
    ISuggestionStore suggestions,
    IWeekPlanStore plans,
    IMatchRunStore runs,
    IRankerStore rankers,
    Retraining retraining,
    IEmailScheduler emails,
    MatchingSettings settings,
    TimeProvider clock,
    GroupForming? forming = null,
    GroupSettling? settling = null,
    PeerGroups? groups = null)
{
    /// <summary>Nobody is suggested to the same person twice within this many weeks.</summary>
    public const int RepeatWindowWeeks = 12;

    /// <summary>A claim older than this, with no plan behind it, belongs to a run that died: it can be taken over.</summary>
    public static readonly TimeSpan PlanningClaimLifetime = TimeSpan.FromMinutes(15);

    /// <summary>Records a run and queues it; the run worker picks it up.</summary>
    public async Task<string> StartAsync(bool dryRun, bool force, CancellationToken cancellationToken)
    {
        var request = new MatchRunRequest(Guid.NewGuid().ToString("N"), dryRun, force);
        await runs.CreateAsync(request, cancellationToken);
        await runs.EnqueueAsync(request, cancellationToken);
        return request.RunId;
    }

    public async Task<MatchRunOutcome> RunAsync(MatchRunRequest request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var week = IsoWeeks.Planning(now);
        if (request.DryRun)
        {
            return await PreviewAsync(request.RunId, week, now, cancellationToken);
        }

        (int People, int Suggestions) planned = (0, 0);
        string? training = null;
        var explored = 0;
        if (await plans.PlannedAtAsync(week, cancellationToken) is { } plannedAt)
        {
            // Most hourly runs: the week is planned; those who joined since are planned now.
            planned = await PlanLateJoinersAsync(request.RunId, week, plannedAt, now, cancellationToken);
        }
        else if (await plans.TryClaimAsync(week, request.RunId, PlanningStep.Week, cancellationToken))
        {
            (planned, training, explored) = await PlanWeekAsync(request.RunId, week, now, cancellationToken);
        }
        else
        {
            await WaitForPlanAsync(week, cancellationToken);
        }

        var (inPlan, queued) = await QueueDueDigestsAsync(week, request.Force, now, cancellationToken);
        // Groups are formed once a week, and every run takes their time-based steps (expiry, call-off, check-ins).
        if (forming is not null)
        {
            await forming.FormWeekAsync(week, request.RunId, cancellationToken);
        }
        if (settling is not null)
        {
            await settling.TendAsync(cancellationToken);
        }
        var outcome = new MatchRunOutcome(week, inPlan, planned.Suggestions, queued, planned.People, (await rankers.CurrentAsync(cancellationToken)).Name, training, explored);
        await runs.CompleteAsync(request.RunId, outcome, preview: null, cancellationToken);
        return outcome;
    }

    /// <summary>The last attempt at a run failed: say so on the run, for the organizer watching it.</summary>
    public Task FailAsync(MatchRunRequest request, Exception error, CancellationToken cancellationToken) =>
        runs.FailAsync(request.RunId, error.Message, cancellationToken);

    private async Task<MatchRunOutcome> PreviewAsync(string runId, string week, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var population = await Population.LoadAsync(practitioners, suppressions, IsoWeeks.Monday(week), cancellationToken);
        var history = await suggestions.AllAsync(cancellationToken).ToListAsync(cancellationToken);
        var plan = await PlanAsync(population.Eligible, history, now, cancellationToken);
        // By practitioner, as a directory reads: an organizer looks someone up and finds all they would be suggested.
        var preview = plan.Suggestions.Select(s => new PreviewSuggestion(
                s.PractitionerId, population.Everyone[s.PractitionerId].Profile.Name, s.PeerId, population.Everyone[s.PeerId].Profile.Name, s.Score, s.Reasons, s.Explored))
            .OrderBy(s => s.PractitionerName, StringComparer.InvariantCultureIgnoreCase).ThenBy(s => s.PractitionerId, StringComparer.Ordinal)
            .ThenByDescending(s => s.Score).ThenBy(s => s.PeerId, StringComparer.Ordinal)
            .ToList();
        var outcome = new MatchRunOutcome(week, population.Eligible.Count, preview.Count, 0, population.Eligible.Count, (await rankers.CurrentAsync(cancellationToken)).Name,
            Explored: preview.Count(s => s.Explored));
        await runs.CompleteAsync(runId, outcome, preview, cancellationToken);
        return outcome;
    }

    /// <summary>Retrains, plans, and stores the week: the suggestions first, the plan (with its marker) last.</summary>
    private async Task<((int People, int Suggestions) Planned, string Training, int Explored)> PlanWeekAsync(string runId, string week, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var population = await Population.LoadAsync(practitioners, suppressions, IsoWeeks.Monday(week), cancellationToken);
        // One read of the history serves both the retraining and the exclusions.
        var history = await suggestions.AllAsync(cancellationToken).ToListAsync(cancellationToken);
        var retrained = await retraining.RetrainAsync(history, cancellationToken);
        var plan = await PlanAsync(population.Eligible, history, now, cancellationToken);
        await suggestions.SaveAsync(plan.Suggestions.Select(s =>
            new StoredSuggestion(s.PractitionerId, s.PeerId, week, runId, s.Score, s.Reasons, s.Features, now, Explored: s.Explored)), cancellationToken);
        var counts = plan.Suggestions.GroupBy(s => s.PractitionerId).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        await plans.SaveAsync(week, runId, readAt: now, population.Eligible.Select(c => new WeekPlanEntry(
            c.Id, c.Profile.Region.TimeZone, counts.GetValueOrDefault(c.Id), plan.NoSuggestionReasons.GetValueOrDefault(c.Id), null, [runId])), cancellationToken);
        return ((population.Eligible.Count, plan.Suggestions.Count), retrained.Summary, plan.Suggestions.Count(s => s.Explored));
    }

    /// <summary>
    /// Nobody waits a week for nothing: those confirmed since the week was planned are planned now,
    /// paired with each other and with planned practitioners who still have room this week (whose
    /// digest has not gone out). One run at a time does this; one that finds it taken leaves the
    /// late joiners to the next run.
    /// </summary>
    private async Task<(int People, int Suggestions)> PlanLateJoinersAsync(string runId, string week, DateTimeOffset plannedAt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // A filtered query, not a read of everyone: most hours nobody has joined since.
        var monday = IsoWeeks.Monday(week);
        var changed = await practitioners.ListChangedSinceAsync(plannedAt, cancellationToken).ToListAsync(cancellationToken);
        if (!changed.Any(p => Population.IsEligible(p, monday)) || !await plans.TryClaimAsync(week, runId, PlanningStep.LateJoiners, cancellationToken))
        {
            return (0, 0);
        }
        try
        {
            // Read under the claim: another run may have planned some of them a moment ago.
            var entries = await plans.EntriesAsync(week, cancellationToken).ToDictionaryAsync(e => e.PractitionerId, StringComparer.Ordinal, cancellationToken);
            var suppressed = await suppressions.SuppressedKeysAsync(cancellationToken);
            var newcomers = changed
                .Where(p => !entries.ContainsKey(p.Id) && Population.IsEligible(p, monday) && !suppressed.Contains(EmailAddresses.Key(p.Profile.Email)))
                .Select(p => p.Id)
                .ToHashSet(StringComparer.Ordinal);
            if (newcomers.Count == 0)
            {
                return (0, 0);
            }
            var population = await Population.LoadAsync(practitioners, suppressions, monday, cancellationToken);
            var pool = population.Eligible.Where(c => newcomers.Contains(c.Id) || entries.ContainsKey(c.Id)).ToList();
            // Room left this week: none for someone whose digest is out (one digest a week). A digest queued
            // by another run in the moments this plan takes would miss what it adds for that person.
            var already = entries.Values.ToDictionary(e => e.PractitionerId, e => e.DigestQueuedAt is null ? e.Suggestions : settings.SuggestionsPerWeek, StringComparer.Ordinal);
            var history = await suggestions.AllAsync(cancellationToken).ToListAsync(cancellationToken);
            var plan = await PlanAsync(pool, history, now, cancellationToken, new LatePlanning(newcomers, already));
            await suggestions.SaveAsync(plan.Suggestions.Select(s =>
                new StoredSuggestion(s.PractitionerId, s.PeerId, week, runId, s.Score, s.Reasons, s.Features, now, Explored: s.Explored)), cancellationToken);
            var added = plan.Suggestions.GroupBy(s => s.PractitionerId).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            var newEntries = pool.Where(c => newcomers.Contains(c.Id)).Select(c => new WeekPlanEntry(
                c.Id, c.Profile.Region.TimeZone, added.GetValueOrDefault(c.Id), plan.NoSuggestionReasons.GetValueOrDefault(c.Id), null, [runId]));
            var grown = entries.Values.Where(e => added.ContainsKey(e.PractitionerId)).Select(e => e with
            {
                Suggestions = e.Suggestions + added[e.PractitionerId],
                NoSuggestionReason = null,
                RunIds = [.. e.RunIds ?? [], runId],
            });
            await plans.AddAsync(week, newEntries.Concat(grown), cancellationToken);
            return (newcomers.Count, plan.Suggestions.Count);
        }
        finally
        {
            await plans.ReleaseClaimAsync(week, runId, PlanningStep.LateJoiners, CancellationToken.None);
        }
    }

    /// <summary>Another run is planning this week: wait for its plan, then send from it.</summary>
    private async Task WaitForPlanAsync(string week, CancellationToken cancellationToken)
    {
        // Real time, not the app's clock: this waits for another worker, which no test clock moves.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (await plans.PlannedAtAsync(week, cancellationToken) is null)
        {
            if (waited.Elapsed > PlanningClaimLifetime)
            {
                throw new TimeoutException($"Week {week} is being planned by another run that has not finished.");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }
    }

    /// <summary>
    /// Queues the digest of each planned practitioner whose local Monday morning has come; when forced, whatever the
    /// local hour, but where it is still an earlier week (a Sunday run plans the coming week), only to someone who got
    /// no digest in that week: nobody gets two in one ISO week.
    /// </summary>
    private async Task<(int InPlan, int Queued)> QueueDueDigestsAsync(string week, bool force, DateTimeOffset now, CancellationToken cancellationToken)
    {
        int inPlan = 0, queued = 0;
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        await foreach (var entry in plans.EntriesAsync(week, cancellationToken))
        {
            inPlan++;
            // The time zone kept with the plan spares reading everyone whose morning has not come.
            if (entry.DigestQueuedAt is not null || (!force && entry.TimeZone is { } planned && !IsoWeeks.IsDue(week, planned, now)))
            {
                continue;
            }
            // The profile decides: someone who erased since the plan gets nothing, someone who paused or moved waits.
            var practitioner = await practitioners.GetAsync(entry.PractitionerId, cancellationToken);
            if (practitioner is null || practitioner.PausedUntil > today
                || !(force ? await MaySendEarlyAsync(week, practitioner, now, cancellationToken) : IsoWeeks.IsDue(week, practitioner.Profile.Region.TimeZone, now)))
            {
                continue;
            }
            // Queued before marked: a crash between the two leaves the digest queued and unmarked, and the next
            // run's second enqueue is harmless (the job id allows one send). Only the run that marks it counts it.
            await emails.EnqueueAsync(MatchingEmailJobs.Digest(practitioner.Id, week), cancellationToken);
            if (await plans.MarkDigestQueuedAsync(week, practitioner.Id, now, cancellationToken))
            {
                queued++;
            }
        }
        return (inPlan, queued);
    }

    private async Task<bool> MaySendEarlyAsync(string week, Practitioner practitioner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var local = IsoWeeks.Local(practitioner.Profile.Region.TimeZone, now);
        return local == week || (await plans.GetAsync(local, practitioner.Id, cancellationToken))?.DigestQueuedAt is null;
    }

    private async Task<MatchPlan> PlanAsync(List<Candidate> eligible, IReadOnlyList<StoredSuggestion> history, DateTimeOffset now, CancellationToken cancellationToken, LatePlanning? late = null)
    {
        var since = now.AddDays(-7 * RepeatWindowWeeks);
        var excluded = history.Where(s => s.CreatedAt >= since || s.Answer == "no").Select(s => (s.PractitionerId, s.PeerId));
        var scorer = await rankers.CurrentAsync(cancellationToken);
        var histories = AnswerHistory.From(history.Select(s => s.ToLabelledPair()).OfType<LabelledPair>());
        var groupmates = groups is null ? [] : await groups.GroupmatesAsync(cancellationToken);
        return new MatchPlanner(scorer, settings.SuggestionsPerWeek, explorationShare: settings.ExplorationShare)
            .Plan(eligible, excluded, now, late, histories, groupmates);
    }
}
