using Microsoft.Extensions.Time.Testing;
using PeerMatch.Email;
using PeerMatch.Matching;
using static PeerMatch.Tests.Matching.People;

namespace PeerMatch.Tests.Matching;

/// <summary>The matching rules as the services hold them, on ports kept in memory: no storage, no HTTP.</summary>
public sealed class MatchingServiceTests
{
    // Sunday noon UTC: the coming week is being planned, and nobody's Monday morning has come yet.
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));
    private readonly InMemoryPorts _ports = new();

    [Fact]
    public async Task The_second_yes_of_a_pair_introduces_both_once()
    {
        var (toAda, toBea) = await PlannedPairAsync();
        var answers = _ports.Answers(_clock);

        var adaSays = await answers.AnswerAsync(toAda, "yes", default);
        Assert.Equal(new AnswerOutcome("yes", Introduced: false), adaSays);
        Assert.Empty(IntroductionJobs());

        var beaSays = await answers.AnswerAsync(toBea, "yes", default);
        Assert.Equal(new AnswerOutcome("yes", Introduced: true), beaSays);
        var jobs = IntroductionJobs();
        Assert.Equal(["ada", "bea"], jobs.Select(j => j.PractitionerId).Order());
        Assert.Single(jobs.Select(j => j.JobId).Distinct()); // one id for the pair: each side's sender sends it once

        var again = await answers.AnswerAsync(toBea, "yes", default);
        Assert.True(again!.Introduced); // the pair is introduced, and stays introduced once
        Assert.Equal(1, _ports.IntroductionRows.Count);
    }

    [Fact]
    public async Task The_first_answer_counts_and_a_no_introduces_nobody()
    {
        var (toAda, toBea) = await PlannedPairAsync();
        var answers = _ports.Answers(_clock);

        await answers.AnswerAsync(toAda, "yes", default);
        Assert.Equal("no", (await answers.AnswerAsync(toBea, "no", default))!.Answer);
        Assert.Equal(new AnswerOutcome("no", false), await answers.AnswerAsync(toBea, "yes", default));

        Assert.Empty(IntroductionJobs());
        Assert.Equal(0, _ports.IntroductionRows.Count);
    }

    [Fact]
    public async Task A_yes_whose_introduction_could_not_be_queued_is_finished_by_the_next_click()
    {
        var (toAda, toBea) = await PlannedPairAsync();
        var answers = _ports.Answers(_clock);
        await answers.AnswerAsync(toAda, "yes", default);

        _ports.Outbox.FailNext = 1;
        await Assert.ThrowsAsync<InvalidOperationException>(() => answers.AnswerAsync(toBea, "yes", default));
        Assert.Equal("yes", (await _ports.SuggestionRows.GetAsync("bea", toBea.Id, default))!.Answer);
        Assert.Empty(IntroductionJobs());

        var retried = await answers.AnswerAsync(toBea, "yes", default);

        Assert.True(retried!.Introduced);
        Assert.Equal(2, IntroductionJobs().Count);
    }

    [Fact]
    public async Task Each_side_is_asked_once_whether_they_met_two_weeks_after_the_introduction()
    {
        var (toAda, toBea) = await PlannedPairAsync();
        var answers = _ports.Answers(_clock);
        await answers.AnswerAsync(toAda, "yes", default);
        await answers.AnswerAsync(toBea, "yes", default);

        _clock.Advance(TimeSpan.FromDays(13));
        Assert.Equal(0, await answers.QueueDueFollowUpsAsync(default));
        _clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(1, await answers.QueueDueFollowUpsAsync(default));
        Assert.Equal(0, await answers.QueueDueFollowUpsAsync(default));

        var followUps = _ports.Outbox.Jobs.Where(j => j.Kind == MatchingEmails.FollowUp).ToList();
        Assert.Equal([("ada", toAda.Id), ("bea", toBea.Id)], followUps.Select(j => (j.PractitionerId, j.Context!)).Order());
    }

    [Fact]
    public async Task Once_the_week_is_planned_an_hourly_run_reads_the_plan_not_everyone()
    {
        _ports.People.Add(Person("ada"), _clock.GetUtcNow());
        _ports.People.Add(Person("bea"), _clock.GetUtcNow());
        _ports.People.Add(Person("lon", country: "GB", subdivision: "GB-ENG", city: "London", timeZone: "Europe/London", meeting: "online"), _clock.GetUtcNow());
        var runs = _ports.MatchRuns(_clock);
        _clock.SetUtcNow(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero)); // 09:00 in London, 01:00 in Oakland

        var first = await RunAsync(runs, force: false);
        var second = await RunAsync(runs, force: false);
        _clock.SetUtcNow(new DateTimeOffset(2026, 11, 30, 17, 0, 0, TimeSpan.Zero)); // 09:00 in Oakland
        var third = await RunAsync(runs, force: false);

        Assert.Equal(1, _ports.People.FullReads); // nobody joined since the plan: no full read after it
        Assert.Equal((3, 1), (first.Practitioners, first.DigestsQueued)); // London's Monday morning has come
        Assert.Equal((0, 0), (second.Suggestions, second.DigestsQueued));
        Assert.Equal(2, third.DigestsQueued);
        Assert.Equal(["ada", "bea", "lon"], _ports.Outbox.Jobs.Where(j => j.Kind == MatchingEmails.Digest).Select(j => j.PractitionerId).Order());
    }

    [Fact]
    public async Task A_plan_stored_without_time_zones_still_sends_each_digest_in_the_person_s_monday_morning()
    {
        _ports.People.Add(Person("ada"), _clock.GetUtcNow());
        _ports.People.Add(Person("lon", country: "GB", subdivision: "GB-ENG", city: "London", timeZone: "Europe/London"), _clock.GetUtcNow());
        var week = IsoWeeks.Planning(_clock.GetUtcNow());
        await _ports.Plans.SaveAsync(week, "older", _clock.GetUtcNow(), [new WeekPlanEntry("ada", null, 0, "none", null, ["older"]), new WeekPlanEntry("lon", null, 0, "none", null, ["older"])], default);
        _clock.SetUtcNow(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero)); // 09:00 in London, 01:00 in Oakland

        var outcome = await RunAsync(_ports.MatchRuns(_clock), force: false);

        Assert.Equal(1, outcome.DigestsQueued);
        Assert.Equal("lon", Assert.Single(_ports.Outbox.Jobs).PractitionerId);
    }

    [Fact]
    public async Task Someone_confirmed_after_the_plan_is_planned_by_the_next_run_against_everyone_s_remaining_room()
    {
        // ada and bea get each other (one suggestion each): two more fit in their week.
        _ports.People.Add(Person("ada"), _clock.GetUtcNow());
        _ports.People.Add(Person("bea"), _clock.GetUtcNow());
        var runs = _ports.MatchRuns(_clock);
        await RunAsync(runs, force: false);
        _clock.Advance(TimeSpan.FromHours(2));
        _ports.People.Add(Person("eve"), _clock.GetUtcNow());

        var late = await RunAsync(runs, force: false);
        var again = await RunAsync(runs, force: false);

        Assert.Equal(1, late.NewlyPlanned);
        Assert.Equal(4, late.Suggestions); // eve–ada and eve–bea, each both ways
        var toEve = _ports.SuggestionRows.All.Where(s => s.PractitionerId == "eve").ToList();
        Assert.Equal(["ada", "bea"], toEve.Select(s => s.PeerId).Order());
        Assert.All(toEve, s => Assert.Contains(_ports.SuggestionRows.All, r => r.PractitionerId == s.PeerId && r.PeerId == "eve"));
        var plan = await _ports.Plans.EntriesAsync(IsoWeeks.Planning(_clock.GetUtcNow()), default).ToListAsync();
        Assert.All(plan, e => Assert.InRange(e.Suggestions, 0, 3));
        Assert.All(plan, e => Assert.Equal(e.Suggestions, _ports.SuggestionRows.All.Count(s => s.PractitionerId == e.PractitionerId)));
        Assert.Equal(0, again.NewlyPlanned);
        Assert.Equal(0, again.Suggestions);
    }

    [Fact]
    public async Task A_late_joiner_is_never_paired_with_someone_whose_digest_is_out()
    {
        _ports.People.Add(Person("ada"), _clock.GetUtcNow());
        _ports.People.Add(Person("bea"), _clock.GetUtcNow());
        var runs = _ports.MatchRuns(_clock);
        await RunAsync(runs, force: true); // both digests out
        _ports.People.Add(Person("eve"), _clock.GetUtcNow());

        var late = await RunAsync(runs, force: true);

        Assert.Equal(1, late.NewlyPlanned);
        Assert.Equal(0, late.Suggestions);
        Assert.Equal(["ada", "bea", "eve"], _ports.Outbox.Jobs.Where(j => j.Kind == MatchingEmails.Digest).Select(j => j.PractitionerId).Order());
        var eve = await _ports.Plans.GetAsync(IsoWeeks.Planning(_clock.GetUtcNow()), "eve", default);
        Assert.StartsWith("Everyone who could meet you (2 practitioners) already has this week's suggestions.", eve!.NoSuggestionReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_planned_practitioner_who_erased_since_gets_no_digest()
    {
        _ports.People.Add(Person("ada"), _clock.GetUtcNow());
        _ports.People.Add(Person("bea"), _clock.GetUtcNow());
        var runs = _ports.MatchRuns(_clock);
        await RunAsync(runs, force: false); // plans the week; nobody's Monday morning has come

        _ports.People.Remove("bea");
        var forced = await RunAsync(runs, force: true);

        Assert.Equal(1, forced.DigestsQueued);
        Assert.Equal("ada", Assert.Single(_ports.Outbox.Jobs).PractitionerId);
    }

    [Fact]
    public async Task A_dry_run_stores_and_queues_nothing_but_its_preview()
    {
        _ports.People.Add(Person("ada"), _clock.GetUtcNow());
        _ports.People.Add(Person("bea"), _clock.GetUtcNow());
        var runs = _ports.MatchRuns(_clock);

        var outcome = await RunAsync(runs, force: false, dryRun: true);

        var status = Assert.Single(_ports.RunRows.Rows.Values);
        Assert.Equal(2, outcome.Suggestions);
        Assert.Equal("completed", status.Status);
        Assert.Equal(2, status.Preview!.Count);
        Assert.Empty(_ports.SuggestionRows.All);
        Assert.Empty(_ports.Outbox.Jobs);
    }

    /// <summary>Plans a week for ada and bea, who suit each other; their suggestions to each other.</summary>
    private async Task<(StoredSuggestion ToAda, StoredSuggestion ToBea)> PlannedPairAsync()
    {
        _ports.People.Add(Person("ada"), _clock.GetUtcNow());
        _ports.People.Add(Person("bea"), _clock.GetUtcNow());
        await RunAsync(_ports.MatchRuns(_clock), force: true);
        var all = _ports.SuggestionRows.All;
        return (all.Single(s => s.PractitionerId == "ada"), all.Single(s => s.PractitionerId == "bea"));
    }

    /// <summary>Starts a run as an organizer or the timer would, and works it off the queue.</summary>
    private async Task<MatchRunOutcome> RunAsync(MatchRuns runs, bool force, bool dryRun = false)
    {
        await runs.StartAsync(dryRun, force, default);
        Assert.True(_ports.RunRows.Queued.TryDequeue(out var request));
        return await runs.RunAsync(request, default);
    }

    private List<EmailJob> IntroductionJobs() => _ports.Outbox.Jobs.Where(j => j.Kind == MatchingEmails.Introduction).ToList();
}
