using PeerMatch.Matching.Groups;
using PeerMatch.Practitioners;

namespace PeerMatch.Matching.Organizer;

/// <summary>How many of one country's (or one model's) people a gap holds, and the reason most of them share.</summary>
public sealed record CoverageCount(string Key, int Count, string Reason);

/// <summary>Confirmed practitioners a gap holds, counted by country and by mediation model (someone with two models counts in each).</summary>
public sealed record CoverageGap(int Total, IReadOnlyList<CoverageCount> ByCountry, IReadOnlyList<CoverageCount> ByModel);

/// <summary>
/// Who is not yet served, for an organizer: <c>GET /api/organizer/coverage</c>. Every gap counts confirmed practitioners
/// only; <see cref="LastPlannedWeek"/> is the week whose plan gave the reasons of those never suggested. A report that
/// could not be counted again in time is the last one counted (<see cref="Stale"/>, as of <see cref="CountedAt"/>).
/// </summary>
public sealed record CoverageReport(int Confirmed, string? LastPlannedWeek, CoverageGap NeverSuggested, CoverageGap NeverIntroduced, CoverageGap SeekingAGroupInNone,
    DateTimeOffset CountedAt, bool Stale = false);

/// <summary>Where the last coverage count is kept, and how a count is asked of the worker (once, however many ask).</summary>
public interface ICoverageStore
{
    Task SaveAsync(CoverageReport report, CancellationToken cancellationToken);

    Task<CoverageReport?> LatestAsync(CancellationToken cancellationToken);

    /// <summary>Queues a count, unless one was asked for less than a quarter of an hour ago and has not finished.</summary>
    Task RequestCountAsync(CancellationToken cancellationToken);

    /// <summary>The asked-for count is done: the next request queues another.</summary>
    Task CountDoneAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Coverage: confirmed practitioners never suggested, never introduced, and seeking a peer group but in none, each with
/// a reason in an organizer's words. The reasons come from what the engine already told each person (the week plan's
/// obstacle, the group formation's why-not), named by kind so that they can be counted.
/// </summary>
public sealed class Coverage(
    IPractitionerRepository practitioners,
    ISuppressionList suppressions,
    ISuggestionStore suggestions,
    IWeekPlanStore plans,
    IGroupStore groups,
    ICoverageStore store,
    TimeProvider clock)
{
    public const string NeverSuggestedReason = "never suggested";

    /// <summary>
    /// The report as fresh as <paramref name="within"/> allows: counted now when that is quick enough (a count reads
    /// every practitioner, suggestion and group, which takes long when they are many); otherwise the last count, marked
    /// stale, while the worker counts again; null when nothing was ever counted.
    /// </summary>
    public async Task<CoverageReport?> CurrentAsync(TimeSpan within, CancellationToken cancellationToken)
    {
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(within);
        try
        {
            var report = await ReportAsync(budget.Token);
            await store.SaveAsync(report, cancellationToken);
            return report;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await store.RequestCountAsync(cancellationToken);
            return await store.LatestAsync(cancellationToken) is { } last ? last with { Stale = true } : null;
        }
    }

    /// <summary>The worker's count: as long as it takes, kept for the organizers who ask next.</summary>
    public async Task CountAsync(CancellationToken cancellationToken)
    {
        await store.SaveAsync(await ReportAsync(cancellationToken), cancellationToken);
        await store.CountDoneAsync(cancellationToken);
    }

    public async Task<CoverageReport> ReportAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var population = await Population.LoadAsync(practitioners, suppressions, today, cancellationToken);
        var confirmed = population.Everyone.Values.Where(p => p.Status == PractitionerStatus.Active).OrderBy(p => p.Id, StringComparer.Ordinal).ToList();
        var eligible = population.Eligible.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var history = await suggestions.AllAsync(cancellationToken).ToListAsync(cancellationToken);
        var (week, planReasons) = await LastPlanAsync(now, cancellationToken);
        var (inAGroup, declinedRecently) = await GroupSeatsAsync(now, cancellationToken);
        var waiting = await groups.WaitingReasonsAsync(cancellationToken);

        // Each answer by (who answered, suggestion id): a suggestion's reciprocal is the peer's row of the same week.
        var answers = history.Where(s => s.Answer is not null).ToDictionary(s => (s.PractitionerId, s.Id), s => s.Answer!);
        var byPerson = history.ToLookup(s => s.PractitionerId, StringComparer.Ordinal);

        // Paused or unsubscribed: taken out of matching and groups, whatever else holds.
        string? Unreachable(Practitioner p) =>
            eligible.Contains(p.Id) ? null : p.PausedUntil > today ? "paused" : "unsubscribed from e-mail";

        string WhyNeverSuggested(Practitioner p) =>
            Unreachable(p) ?? (planReasons.TryGetValue(p.Id, out var reason) && reason is not null
                ? Obstacles.Kind(reason)
                : "confirmed since the last weekly plan");

        string? WhyNeverIntroduced(Practitioner p)
        {
            var theirs = byPerson[p.Id].ToList();
            var yeses = theirs.Where(s => s.Answer == "yes").ToList();
            if (yeses.Any(s => answers.GetValueOrDefault((s.PeerId, s.ReciprocalId)) == "yes"))
            {
                return null;
            }
            return theirs.Count == 0 ? NeverSuggestedReason
                : Unreachable(p) is { } unreachable ? unreachable
                : yeses.Count == 0 && theirs.Any(s => s.Answer is null) ? "has not answered their suggestions"
                : yeses.Count == 0 ? "said not now to every suggestion"
                : yeses.Any(s => !answers.ContainsKey((s.PeerId, s.ReciprocalId))) ? "waiting for a peer's answer"
                : "the peers they wanted said not now";
        }

        var neverSuggested = confirmed.Where(p => !byPerson.Contains(p.Id)).Select(p => (p, WhyNeverSuggested(p))).ToList();
        var neverIntroduced = confirmed.Select(p => (p, Why: WhyNeverIntroduced(p))).Where(x => x.Why is not null).Select(x => (x.p, x.Why!)).ToList();
        var seekers = confirmed.Where(p => p.Profile.Seeking.Contains("peer-group") && !inAGroup.Contains(p.Id)).Select(p => (p,
            Unreachable(p)
            ?? (declinedRecently.Contains(p.Id) ? "declined a group in the last four weeks"
            : waiting.TryGetValue(p.Id, out var whyNot) ? whyNot.ToOrganizer()
            : "not yet considered: groups form with each week's first run"))).ToList();
        return new CoverageReport(confirmed.Count, week, Gap(neverSuggested), Gap(neverIntroduced), Gap(seekers), now);
    }

    /// <summary>Who has a seat in a forming or formed group, and who declined one in the last four weeks.</summary>
    private async Task<(HashSet<string> InAGroup, HashSet<string> DeclinedRecently)> GroupSeatsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var inAGroup = new HashSet<string>(StringComparer.Ordinal);
        var declinedRecently = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var group in groups.AllAsync(cancellationToken))
        {
            foreach (var seat in group.Seats)
            {
                if (group.Group.IsOpen && !seat.IsOut)
                {
                    inAGroup.Add(seat.PractitionerId);
                }
                else if (seat.DeclinedAfter(now - GroupSeekers.RestAfterDecline))
                {
                    declinedRecently.Add(seat.PractitionerId);
                }
            }
        }
        return (inAGroup, declinedRecently);
    }

    /// <summary>The reasons of this week's plan, or last week's if this week is not planned yet.</summary>
    private async Task<(string? Week, Dictionary<string, string?> Reasons)> LastPlanAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var thisWeek = IsoWeeks.Planning(now);
        foreach (var week in new[] { thisWeek, IsoWeeks.Id(IsoWeeks.Monday(thisWeek).AddDays(-7)) })
        {
            if (await plans.PlannedAtAsync(week, cancellationToken) is not null)
            {
                var reasons = new Dictionary<string, string?>(StringComparer.Ordinal);
                await foreach (var entry in plans.EntriesAsync(week, cancellationToken))
                {
                    reasons[entry.PractitionerId] = entry.NoSuggestionReason;
                }
                return (week, reasons);
            }
        }
        return (null, []);
    }

    private static CoverageGap Gap(List<(Practitioner Person, string Reason)> people)
    {
        static List<CoverageCount> Count(IEnumerable<(string Key, string Reason)> keyed) =>
        [
            .. keyed.GroupBy(k => k.Key, StringComparer.Ordinal)
                .Select(g => new CoverageCount(g.Key, g.Count(),
                    g.GroupBy(k => k.Reason, StringComparer.Ordinal).OrderByDescending(r => r.Count()).ThenBy(r => r.Key, StringComparer.Ordinal).First().Key))
                .OrderByDescending(c => c.Count).ThenBy(c => c.Key, StringComparer.Ordinal),
        ];
        return new CoverageGap(
            people.Count,
            Count(people.Select(x => (x.Person.Profile.Region.Country, x.Reason))),
            Count(people.SelectMany(x => x.Person.Profile.Models.Select(model => (model, x.Reason)))));
    }
}
