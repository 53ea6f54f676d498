using PeerMatch.Email;
using PeerMatch.Practitioners;

namespace PeerMatch.Matching.Groups;

/// <summary>What a formation did: the groups it stored (invitations are queued), and who it left out, with why.</summary>
public sealed record GroupFormationOutcome(IReadOnlyList<GroupWithSeats> Groups, IReadOnlyList<UnplacedSeeker> Unplaced, bool Busy = false);

/// <summary>What an answer to a group invitation did: the answer that counts, and the group as it stands after it.</summary>
public sealed record GroupAnswerOutcome(string? Answer, GroupWithSeats Group);

/// <summary>
/// Peer groups from proposal to first meeting and after. Formation stores groups (each week's run, an organizer, or a
/// willing convener asking to start one) and invites their members. Every later step is taken by <see cref="SettleAsync"/>,
/// after each answer and on every hourly run: no answer in 7 days counts as no; a "no" is replaced while the group
/// forms; a convener who declines hands over to the next willing member who said yes; the group forms at the convener
/// and 3 others (each gets the introduction), takes in late yeses (announced to the others), and is called off when
/// it has not formed in 14 days; six weeks after forming each member is asked whether the group met. Each step is a
/// conditional write and each e-mail a job with a stable id, so a retried or doubled step changes and sends nothing twice.
/// </summary>
public sealed class PeerGroups(
    IGroupStore groups,
    IPractitionerRepository practitioners,
    ISuppressionList suppressions,
    IRankerStore rankers,
    IEmailScheduler emails,
    TimeProvider clock) : ITrainingExamples
{
    public static readonly TimeSpan AnswerWithin = TimeSpan.FromDays(7);
    public static readonly TimeSpan FormWithin = TimeSpan.FromDays(14);
    public static readonly TimeSpan CheckInAfter = TimeSpan.FromDays(42);

    /// <summary>Someone who declined a group is not invited into another for this long.</summary>
    public static readonly TimeSpan RestAfterDecline = TimeSpan.FromDays(28);

    /// <summary>The convener and this many others saying yes form the group.</summary>
    public const int YesToForm = GroupFormation.MinimumSize;

    private const int WriteAttempts = 4;

    /// <summary>Forms groups now, from the eligible seekers in no group (in a region, of a model), and invites their members.</summary>
    public async Task<GroupFormationOutcome> FormAsync(string? region, string? model, int size, string origin, CancellationToken cancellationToken)
    {
        var holder = $"{origin}-{Guid.NewGuid():N}";
        if (!await groups.TryLeaseFormationAsync(holder, clock.GetUtcNow(), cancellationToken))
        {
            return new GroupFormationOutcome([], [], Busy: true);
        }
        try
        {
            return await FormLeasedAsync(region, model, size, origin, cancellationToken);
        }
        finally
        {
            await groups.ReleaseFormationAsync(holder, CancellationToken.None);
        }
    }

    /// <summary>The groups of the week: formed by the first run that takes the lease, once.</summary>
    public async Task<int> FormWeekAsync(string week, string runId, CancellationToken cancellationToken)
    {
        // One holder per attempt: a redelivered run message is another attempt, not the holder of this one's lease.
        var holder = $"week-{runId}-{Guid.NewGuid():N}";
        if (await groups.WeekFormedAsync(week, cancellationToken) || !await groups.TryLeaseFormationAsync(holder, clock.GetUtcNow(), cancellationToken))
        {
            return 0;
        }
        try
        {
            // Checked again under the lease: another run may have formed the week a moment ago.
            if (await groups.WeekFormedAsync(week, cancellationToken))
            {
                return 0;
            }
            var outcome = await FormLeasedAsync(null, null, GroupFormation.DefaultSize, $"week-{week}", cancellationToken);
            await groups.MarkWeekFormedAsync(week, clock.GetUtcNow(), cancellationToken);
            return outcome.Groups.Count;
        }
        finally
        {
            await groups.ReleaseFormationAsync(holder, CancellationToken.None);
        }
    }

    /// <summary>A willing convener asks to start a group: the group they would lead now, or why there is none yet.</summary>
    public async Task<(GroupWithSeats? Group, string? WhyNot)> StartAroundAsync(Practitioner convener, CancellationToken cancellationToken)
    {
        var holder = $"start-{Guid.NewGuid():N}";
        if (!await groups.TryLeaseFormationAsync(holder, clock.GetUtcNow(), cancellationToken))
        {
            return (null, "Groups are being formed right now; please try again in a few minutes.");
        }
        try
        {
            var now = clock.GetUtcNow();
            if ((await OfAsync(convener.Id, cancellationToken)).Any(g => g.Group.IsOpen && !g.Seat(convener.Id)!.IsOut))
            {
                return (null, "You are already in a group that is forming or has formed.");
            }
            var (population, taken) = await PoolAsync(now, cancellationToken);
            if (population.Eligible.All(c => c.Id != convener.Id))
            {
                return (null, "You cannot be grouped right now: your profile is paused, or e-mail to you is stopped.");
            }
            // Asking to start a group is an answer of its own: a group declined lately does not hold them back.
            taken.Remove(convener.Id);
            var plan = new GroupFormation(await rankers.CurrentAsync(cancellationToken)).FormAround(convener.Id, population.Eligible, taken, now);
            if (plan.Groups is [var proposal, ..])
            {
                var group = await CreateAsync(proposal, "convener", now, cancellationToken);
                await SettleAsync(group.Group.Id, cancellationToken);
                return (group, null);
            }
            var whyNot = plan.Unplaced.FirstOrDefault(u => u.Id == convener.Id)?.Reason ?? "Too few people looking for a group can meet you yet.";
            await groups.SaveWaitingAsync([new UnplacedSeeker(convener.Id, convener.Profile.Name, whyNot)], now, cancellationToken);
            return (null, whyNot);
        }
        finally
        {
            await groups.ReleaseFormationAsync(holder, CancellationToken.None);
        }
    }

    /// <summary>The groups a formation would make now, from the same people (a preview: nothing is stored or sent).</summary>
    public async Task<GroupPlan> ProposeAsync(string? region, string? model, int size, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var (population, taken) = await PoolAsync(now, cancellationToken);
        var pool = population.Eligible.Where(c => GroupFormation.InRegion(c.Profile.Region, region)).ToList();
        return new GroupFormation(await rankers.CurrentAsync(cancellationToken), size).Form(pool, taken, now, model);
    }

    private async Task<GroupFormationOutcome> FormLeasedAsync(string? region, string? model, int size, string origin, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var plan = await ProposeAsync(region, model, size, cancellationToken);
        var created = new List<GroupWithSeats>();
        foreach (var proposal in plan.Groups)
        {
            created.Add(await CreateAsync(proposal, origin, now, cancellationToken));
        }
        await groups.SaveWaitingAsync(plan.Unplaced, now, cancellationToken);
        foreach (var group in created)
        {
            await SettleAsync(group.Group.Id, cancellationToken);
        }
        return new GroupFormationOutcome(created, plan.Unplaced);
    }

    private async Task<GroupWithSeats> CreateAsync(GroupProposal proposal, string origin, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var id = "g" + Guid.NewGuid().ToString("N")[..16];
        // Stored without the convener's name: the convener may hand over, or erase their profile.
        var convener = Reasons.FirstName(proposal.Convener.Name);
        var reasons = proposal.Reasons.Where(r => !r.Contains("convene", StringComparison.Ordinal))
            .Select(r => r.Replace(convener, "the convener", StringComparison.Ordinal))
            .ToList();
        var group = new PeerGroup(id, GroupStates.Inviting, proposal.Model, proposal.Language, proposal.Meeting, proposal.Convener.Id, reasons, origin, now);
        var seats = proposal.Members.Select(m => new GroupSeat(id, m.Id, now)).ToList();
        await groups.CreateAsync(group, seats, cancellationToken);
        foreach (var seat in seats)
        {
            await ForgetIfErasedAsync(seat.PractitionerId, cancellationToken);
        }
        return new GroupWithSeats(group, seats);
    }

    /// <summary>
    /// Formation works from people read a moment before: someone who erased their profile since must not be left in a
    /// group (erasure took them out of every group stored when it ran, not of one stored after).
    /// </summary>
    private async Task ForgetIfErasedAsync(string practitionerId, CancellationToken cancellationToken)
    {
        if (await practitioners.GetAsync(practitionerId, cancellationToken) is null)
        {
            // Erasure's own step: out of every group, without a word to anyone.
            await groups.EraseAsync(practitionerId, cancellationToken);
        }
    }

    /// <summary>
    /// Everyone who may be grouped today, and who may not be taken now: those with a seat in a forming or formed group
    /// (unless they said no or left), and those who declined a group in the last four weeks.
    /// </summary>
    private async Task<(Population Population, HashSet<string> Taken)> PoolAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var population = await Population.LoadAsync(practitioners, suppressions, DateOnly.FromDateTime(now.UtcDateTime), cancellationToken);
        var taken = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var group in groups.AllAsync(cancellationToken))
        {
            foreach (var seat in group.Seats)
            {
                if ((group.Group.IsOpen && !seat.IsOut) || seat.DeclinedAfter(now - RestAfterDecline))
                {
                    taken.Add(seat.PractitionerId);
                }
            }
        }
        return (population, taken);
    }

    // ---- Answers ----

    /// <summary>
    /// Records a member's answer (the first counts); a convener's <paramref name="memberOnly"/> says yes as a member,
    /// not as convener (also after an earlier yes, while the group forms). Then the group takes its next steps.
    /// Null when the person has no seat in the group.
    /// </summary>
    public async Task<GroupAnswerOutcome?> AnswerAsync(string groupId, string practitionerId, string answer, bool memberOnly, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var done = await ChangeSeatAsync(groupId, practitionerId, (group, seat) =>
        {
            var declines = memberOnly && answer == "yes" && group.Group.ConvenerId == practitionerId && group.Group.State == GroupStates.Inviting && !seat.DeclinedConvening;
            var first = seat.Answer is null && seat.LeftAt is null && group.Group.IsOpen;
            if (AnswerTimeIsOver(seat, now) || (!first && !declines))
            {
                return null;
            }
            var answered = first ? seat with { Answer = answer, AnsweredAt = now } : seat;
            return answered with { DeclinedConvening = answered.DeclinedConvening || declines };
        }, cancellationToken);
        if (done is not var (read, seat, _))
        {
            return null;
        }
        // Too late: the week to answer is over (the hourly run may not have said so yet). A seat this call changed
        // holds an answer, so this is only ever true of one left as it was.
        var tooLate = AnswerTimeIsOver(seat, now);
        // Settled even when this call changed nothing (a repeated click): the group is told as it stands after the
        // answer that counted, not as read before it settled, so simultaneous repeats all say the same.
        var settled = await SettleAsync(groupId, cancellationToken) ?? read;
        return new GroupAnswerOutcome(tooLate ? settled.Seat(practitionerId)?.Answer : seat.Answer, settled);
    }

    /// <summary>No answer in <see cref="AnswerWithin"/>: the silence counts as a no.</summary>
    private static bool AnswerTimeIsOver(GroupSeat seat, DateTimeOffset now) => seat.IsPending && seat.InvitedAt + AnswerWithin <= now;

    /// <summary>A member leaves (a formed group, or one still forming): the others are told, a forming group invites someone else.</summary>
    public async Task<GroupWithSeats?> LeaveAsync(string groupId, string practitionerId, CancellationToken cancellationToken)
    {
        var done = await ChangeSeatAsync(groupId, practitionerId,
            (group, seat) => seat.IsOut || !group.Group.IsOpen ? null : seat with { LeftAt = clock.GetUtcNow() }, cancellationToken);
        return done is { Changed: true } ? await SettleAsync(groupId, cancellationToken) : done?.Group;
    }

    /// <summary>Records a member's answer to the check-in ("has your group met?"); the first counts.</summary>
    public async Task<string?> RecordMetAsync(string groupId, string practitionerId, string met, CancellationToken cancellationToken) =>
        (await ChangeSeatAsync(groupId, practitionerId, (_, seat) => seat.Met is null ? seat with { Met = met } : null, cancellationToken))?.Seat.Met;

    /// <summary>
    /// Changes a member's seat as <paramref name="change"/> decides from the group as read (null: nothing to change),
    /// written only over the seat it was decided from, and decided again when another write came first. The seat as it
    /// now stands, and whether this call changed it; null when the person has no seat in the group.
    /// </summary>
    private async Task<(GroupWithSeats Group, GroupSeat Seat, bool Changed)?> ChangeSeatAsync(
        string groupId, string practitionerId, Func<GroupWithSeats, GroupSeat, GroupSeat?> change, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < WriteAttempts; attempt++)
        {
            if (await groups.GetAsync(groupId, cancellationToken) is not { } group || group.Seat(practitionerId) is not { } seat)
            {
                return null;
            }
            if (change(group, seat) is not { } changed)
            {
                return (group, seat, false);
            }
            if (await groups.TryUpdateSeatAsync(changed, cancellationToken))
            {
                return (group, changed, true);
            }
        }
        throw new InvalidOperationException($"A seat in group {groupId} kept meeting other writes.");
    }

    // ---- The clock's steps ----

    /// <summary>The hourly steps: every group that is not finished takes its next steps.</summary>
    public async Task<int> TendAsync(CancellationToken cancellationToken)
    {
        var tended = 0;
        await using var pool = new ReplacementPool(groups, () => PoolAsync(clock.GetUtcNow(), cancellationToken), clock, cancellationToken);
        await foreach (var group in groups.AllAsync(cancellationToken))
        {
            if (group.Group.IsOpen || group.Seats.Any(s => s.IsYes && !s.WasQueued(SeatMarks.CalledOffTold)))
            {
                await SettleAsync(group, pool, cancellationToken);
                tended++;
            }
        }
        return tended;
    }

    public async Task<GroupWithSeats?> SettleAsync(string groupId, CancellationToken cancellationToken)
    {
        if (await groups.GetAsync(groupId, cancellationToken) is not { } group)
        {
            return null;
        }
        await using var pool = new ReplacementPool(groups, () => PoolAsync(clock.GetUtcNow(), cancellationToken), clock, cancellationToken);
        return await SettleAsync(group, pool, cancellationToken);
    }

    /// <summary>
    /// Those a replacement may come from, read under the formation lease, so that no two formations or replacements
    /// invite one person into two groups at once. While another holds the lease there are none: gaps wait for the next
    /// settle (at the latest, the next hour's).
    /// </summary>
    private sealed class ReplacementPool(IGroupStore groups, Func<Task<(Population, HashSet<string>)>> read, TimeProvider clock, CancellationToken cancellationToken) : IAsyncDisposable
    {
        private readonly string _holder = $"replace-{Guid.NewGuid():N}";
        private bool _asked;
        private bool _leased;
        private (Population Population, HashSet<string> Taken)? _pool;

        public async Task<(Population Population, HashSet<string> Taken)?> GetAsync()
        {
            if (!_asked)
            {
                _asked = true;
                _leased = await groups.TryLeaseFormationAsync(_holder, clock.GetUtcNow(), cancellationToken);
                _pool = _leased ? await read() : null;
            }
            return _pool;
        }

        public async ValueTask DisposeAsync()
        {
            if (_leased)
            {
                await groups.ReleaseFormationAsync(_holder, CancellationToken.None);
            }
        }
    }

    /// <summary>
    /// Takes whatever steps are due, each written only over what it was decided from (a write that loses to another
    /// is left for the next settle), then queues the e-mails those steps owe.
    /// </summary>
    private async Task<GroupWithSeats> SettleAsync(GroupWithSeats group, ReplacementPool pool, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var id = group.Group.Id;
        // Read again only after a step wrote (or tried to): most hourly settles find nothing due and read nothing more.
        var wrote = false;
        async Task<GroupWithSeats> CurrentAsync()
        {
            if (wrote)
            {
                (group, wrote) = (await ReloadAsync(id, group, cancellationToken), false);
            }
            return group;
        }

        if (group.Group.IsOpen)
        {
            foreach (var seat in group.Seats.Where(s => AnswerTimeIsOver(s, now)))
            {
                await groups.TryUpdateSeatAsync(seat with { Answer = "no", AnsweredAt = now, Expired = true }, cancellationToken);
                wrote = true;
            }
            wrote |= await HandOverAsync(await CurrentAsync(), cancellationToken);
        }
        if ((await CurrentAsync()).Group.State == GroupStates.Inviting)
        {
            var convener = group.Seat(group.Group.ConvenerId);
            var yes = group.Seats.Where(s => s.IsYes).ToList();
            if (group.Group.CreatedAt + FormWithin <= now)
            {
                await groups.TryUpdateAsync(group.Group with { State = GroupStates.CalledOff, ClosedAt = now }, [], cancellationToken);
                wrote = true;
            }
            else if (convener is { IsYes: true, DeclinedConvening: false } && yes.Count >= YesToForm)
            {
                var zones = new List<string>();
                foreach (var seat in yes)
                {
                    if (await practitioners.GetAsync(seat.PractitionerId, cancellationToken) is { } p)
                    {
                        zones.Add(p.Profile.Region.TimeZone);
                    }
                }
                var formed = group.Group with { State = GroupStates.Formed, FormedAt = now, MeetingTimes = FirstMeetingTimes.Propose(zones, now) };
                // Those who form it are introduced together; only a later yes is news to the others.
                await groups.TryUpdateAsync(formed, yes.Select(s => s with { JoinedAt = now, Queued = (s.Queued ?? new HashSet<string>()).Append(SeatMarks.Announced).ToHashSet() }).ToList(), cancellationToken);
                wrote = true;
            }
            else
            {
                // Gaps are filled only while the group still needs people to form.
                wrote |= await ReplaceAsync(group, pool, now, cancellationToken);
            }
        }
        if ((await CurrentAsync()).Group.State == GroupStates.Formed)
        {
            foreach (var late in group.Seats.Where(s => s.IsYes && s.JoinedAt is null))
            {
                await groups.TryUpdateSeatAsync(late with { JoinedAt = now }, cancellationToken);
                wrote = true;
            }
            if (group.Group.CheckInQueuedAt is null && group.Group.FormedAt + CheckInAfter <= now)
            {
                foreach (var member in (await CurrentAsync()).Members)
                {
                    await emails.EnqueueAsync(GroupEmailJobs.CheckIn(id, member.PractitionerId), cancellationToken);
                }
                await groups.TryUpdateAsync(group.Group with { CheckInQueuedAt = now }, [], cancellationToken);
                wrote = true;
            }
        }
        wrote |= await QueueOwedEmailsAsync(await CurrentAsync(), now, cancellationToken);
        return await CurrentAsync();
    }

    /// <summary>
    /// A convener who declined, left or erased hands over: while forming, to the most experienced willing member who
    /// said yes (or nobody yet: the group waits for one); once formed, to the most experienced willing member, or else
    /// the most experienced.
    /// </summary>
    private async Task<bool> HandOverAsync(GroupWithSeats group, CancellationToken cancellationToken)
    {
        var current = group.Seat(group.Group.ConvenerId);
        var forming = group.Group.State == GroupStates.Inviting;
        if (current is not null && !current.IsOut && !(forming && current.DeclinedConvening))
        {
            return false;
        }
        var candidates = new List<(GroupSeat Seat, Profile Profile)>();
        foreach (var seat in group.Seats.Where(s => s.PractitionerId != group.Group.ConvenerId && (forming ? s.IsYes && !s.DeclinedConvening : s.IsMember)))
        {
            if (await practitioners.GetAsync(seat.PractitionerId, cancellationToken) is { } p)
            {
                candidates.Add((seat, p.Profile));
            }
        }
        var next = candidates.Where(c => c.Profile.WillingToConvene || !forming)
            .OrderBy(c => c.Seat.DeclinedConvening).ThenByDescending(c => c.Profile.WillingToConvene).ThenByDescending(c => c.Profile.YearsExperience).ThenBy(c => c.Seat.PractitionerId, StringComparer.Ordinal)
            .Select(c => c.Seat.PractitionerId).FirstOrDefault();
        if (next is null)
        {
            return false;
        }
        await groups.TryUpdateAsync(group.Group with { ConvenerId = next }, [], cancellationToken);
        return true;
    }

    /// <summary>For each "no" not replaced yet, invites the seeker in no group who best fills the gap (when someone fits).</summary>
    private async Task<bool> ReplaceAsync(GroupWithSeats group, ReplacementPool pool, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var gaps = group.Seats.Where(s => s.IsOut && !s.Replaced).ToList();
        if (gaps.Count == 0 || await pool.GetAsync() is not { } found)
        {
            return false;
        }
        var (population, taken) = found;
        var everyone = population.Everyone;
        var staying = group.Seats.Where(s => !s.IsOut && everyone.ContainsKey(s.PractitionerId))
            .OrderByDescending(s => s.PractitionerId == group.Group.ConvenerId)
            .Select(s => new Candidate(s.PractitionerId, everyone[s.PractitionerId].Profile))
            .ToList();
        var formation = new GroupFormation(await rankers.CurrentAsync(cancellationToken));
        var wrote = false;
        foreach (var gap in gaps)
        {
            // Never asked twice into one group: everyone who ever had a seat here is left out.
            var candidates = population.Eligible.Where(c => !taken.Contains(c.Id) && group.Seat(c.Id) is null).ToList();
            if (formation.Replacement(group.Group.Model, group.Group.Language, group.Group.Meeting, staying, candidates, now) is not { } newcomer)
            {
                break;
            }
            wrote = true;
            if (await groups.TryReplaceAsync(gap with { Replaced = true }, new GroupSeat(group.Group.Id, newcomer, now), cancellationToken))
            {
                taken.Add(newcomer);
                staying.Add(population.Eligible.First(c => c.Id == newcomer));
                await ForgetIfErasedAsync(newcomer, cancellationToken);
            }
        }
        return wrote;
    }

    /// <summary>The e-mails the group's state owes, each queued then marked (a crash between the two queues it again, harmlessly).</summary>
    private async Task<bool> QueueOwedEmailsAsync(GroupWithSeats group, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var id = group.Group.Id;
        var marked = false;
        foreach (var seat in group.Seats)
        {
            var owed = new List<(string Mark, IEnumerable<EmailJob> Jobs)>();
            if (group.Group.IsOpen && seat.IsPending && !seat.WasQueued(SeatMarks.Invitation))
            {
                owed.Add((SeatMarks.Invitation, [GroupEmailJobs.Invitation(id, seat.PractitionerId)]));
            }
            if (group.Group.State == GroupStates.Formed && seat.IsMember && !seat.WasQueued(SeatMarks.Introduction))
            {
                owed.Add((SeatMarks.Introduction, [GroupEmailJobs.Introduction(id, seat.PractitionerId)]));
            }
            var others = group.Members.Where(m => m.PractitionerId != seat.PractitionerId).ToList();
            if (seat.IsMember && !seat.WasQueued(SeatMarks.Announced))
            {
                owed.Add((SeatMarks.Announced, others.Where(o => o.JoinedAt <= seat.JoinedAt).Select(o => GroupEmailJobs.Joined(id, seat.PractitionerId, o.PractitionerId))));
            }
            if (seat.LeftAt is not null && seat.JoinedAt is not null && !seat.WasQueued(SeatMarks.LeaveTold))
            {
                owed.Add((SeatMarks.LeaveTold, others.Select(o => GroupEmailJobs.Left(id, seat.PractitionerId, o.PractitionerId))));
            }
            if (group.Group.State == GroupStates.CalledOff && seat.IsYes && !seat.WasQueued(SeatMarks.CalledOffTold))
            {
                owed.Add((SeatMarks.CalledOffTold, [GroupEmailJobs.CalledOff(id, seat.PractitionerId)]));
            }
            foreach (var (mark, jobs) in owed)
            {
                foreach (var job in jobs)
                {
                    await emails.EnqueueAsync(job, cancellationToken);
                }
                await groups.MarkQueuedAsync(seat, mark, now, cancellationToken);
                marked = true;
            }
        }
        return marked;
    }

    private async Task<GroupWithSeats> ReloadAsync(string id, GroupWithSeats last, CancellationToken cancellationToken) =>
        await groups.GetAsync(id, cancellationToken) ?? last;

    // ---- Learning which groups last ----

    /// <summary>
    /// Check-in answers as training examples for the ranker that scores every pair in a group: a member who says the
    /// group met is a positive for each pair of them with the other members, one who says it has not, a negative. So
    /// the pairs of groups that meet come to score higher, and formation (which weighs every pair) prefers their like.
    /// </summary>
    public async Task<IReadOnlyList<LabelledPair>> ExamplesAsync(CancellationToken cancellationToken)
    {
        var examples = new List<LabelledPair>();
        var now = clock.GetUtcNow();
        await foreach (var group in groups.AllAsync(cancellationToken))
        {
            if (!group.Members.Any(m => m.Met is not null))
            {
                continue;
            }
            var members = new List<Candidate>();
            foreach (var seat in group.Members)
            {
                if (await practitioners.GetAsync(seat.PractitionerId, cancellationToken) is { } p)
                {
                    members.Add(new Candidate(p.Id, p.Profile));
                }
            }
            var profiles = Featurizer.Featurize(members, now);
            foreach (var answering in profiles.Where(p => group.Seat(p.Id)?.Met is not null))
            {
                foreach (var other in profiles.Where(p => p.Id != answering.Id))
                {
                    var features = new float[PairFeatures.Count];
                    PairFeatures.Compute(answering, other, features);
                    examples.Add(new LabelledPair(answering.Id, other.Id, features, group.Seat(answering.Id)!.Met == "yes"));
                }
            }
        }
        return examples;
    }

    // ---- Reading ----

    public Task<GroupWithSeats?> GetAsync(string groupId, CancellationToken cancellationToken) => groups.GetAsync(groupId, cancellationToken);

    /// <summary>A practitioner's groups, newest first, each as it stands.</summary>
    public async Task<IReadOnlyList<GroupWithSeats>> OfAsync(string practitionerId, CancellationToken cancellationToken)
    {
        var found = new List<GroupWithSeats>();
        foreach (var id in await groups.GroupIdsOfAsync(practitionerId, cancellationToken))
        {
            if (await groups.GetAsync(id, cancellationToken) is { } group && group.Seat(practitionerId) is not null)
            {
                found.Add(group);
            }
        }
        return found.OrderByDescending(g => g.Group.CreatedAt).ToList();
    }

    public Task<string?> WaitingReasonAsync(string practitionerId, CancellationToken cancellationToken) => groups.WaitingReasonAsync(practitionerId, cancellationToken);

    public IAsyncEnumerable<GroupWithSeats> AllAsync(CancellationToken cancellationToken) => groups.AllAsync(cancellationToken);
}
