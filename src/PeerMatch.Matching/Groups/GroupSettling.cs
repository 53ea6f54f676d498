using PeerMatch.Email;
using PeerMatch.Practitioners;

namespace PeerMatch.Matching.Groups;

/// <summary>
/// A group's steps, taken after each answer and by every hourly run (so an organizer's forced run takes them too): no
/// answer in 7 days counts as no; a "no" is replaced while the group forms; a convener who declines hands over to the
/// next willing member who said yes; the group forms at the convener and 3 others (each gets the introduction), takes
/// in late yeses (announced to the others), and is called off when it has not formed in 14 days; six weeks after
/// forming each member is asked whether the group met. Each step is a conditional write and each e-mail a job with a
/// stable id, so a retried or doubled step changes and sends nothing twice.
/// </summary>
public sealed class GroupSettling(
    IGroupStore groups,
    IPractitionerRepository practitioners,
    IRankerStore rankers,
    IEmailScheduler emails,
    GroupSeekers seekers,
    GroupMeetings meetings,
    GroupLife life,
    TimeProvider clock)
{
    public static readonly TimeSpan AnswerWithin = TimeSpan.FromDays(7);
    public static readonly TimeSpan FormWithin = TimeSpan.FromDays(14);
    public static readonly TimeSpan CheckInAfter = GroupLife.CheckInEvery;

    /// <summary>A member asked to convene has this long to answer; silence passes the question to the next.</summary>
    public static readonly TimeSpan ConvenerAnswerWithin = TimeSpan.FromDays(5);

    /// <summary>The convener and this many others saying yes form the group.</summary>
    public const int YesToForm = GroupFormation.MinimumSize;

    /// <summary>No answer in <see cref="AnswerWithin"/>: the silence counts as a no.</summary>
    internal static bool AnswerTimeIsOver(GroupSeat seat, DateTimeOffset now) => seat.IsPending && seat.InvitedAt + AnswerWithin <= now;

    /// <summary>The hourly steps: every group that is not finished takes its next steps.</summary>
    public async Task<int> TendAsync(CancellationToken cancellationToken)
    {
        var tended = 0;
        await using var pool = new ReplacementPool(groups, () => seekers.PoolAsync(clock.GetUtcNow(), cancellationToken), clock, cancellationToken);
        await foreach (var group in groups.AllAsync(cancellationToken))
        {
            if (group.Group.IsOpen || OwesClosingWord(group))
            {
                await SettleAsync(group, pool, cancellationToken);
                tended++;
            }
        }
        return tended;
    }

    /// <summary>A closed group whose members have not all been told yet (called off, or wound down).</summary>
    private static bool OwesClosingWord(GroupWithSeats group) => group.Group.State switch
    {
        GroupStates.CalledOff => group.Seats.Any(s => s.IsYes && !s.WasQueued(SeatMarks.CalledOffTold)),
        GroupStates.WoundDown => group.Members.Any(s => !s.WasQueued(SeatMarks.WoundDownTold)),
        _ => false,
    };

    public async Task<GroupWithSeats?> SettleAsync(string groupId, CancellationToken cancellationToken)
    {
        if (await groups.GetAsync(groupId, cancellationToken) is not { } group)
        {
            return null;
        }
        await using var pool = new ReplacementPool(groups, () => seekers.PoolAsync(clock.GetUtcNow(), cancellationToken), clock, cancellationToken);
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
            wrote |= await ExpireSilenceAsync(group, now, cancellationToken);
            wrote |= (await CurrentAsync()).Group.State == GroupStates.Inviting
                ? await HandOverAsync(await CurrentAsync(), cancellationToken)
                : await AskForConvenerAsync(await CurrentAsync(), now, cancellationToken);
        }
        if ((await CurrentAsync()).Group.State == GroupStates.Inviting)
        {
            wrote |= await TakeFormingStepAsync(group, pool, now, cancellationToken);
        }
        if ((await CurrentAsync()).Group.State == GroupStates.Formed)
        {
            wrote |= await TakeFormedStepsAsync(group, now, cancellationToken);
            wrote |= await meetings.TendAsync(await CurrentAsync(), now, cancellationToken);
            wrote |= await life.TendAsync(await CurrentAsync(), now, cancellationToken);
        }
        if ((await CurrentAsync()).Group.State == GroupStates.Formed)
        {
            wrote |= await ProposeNewcomerAsync(await CurrentAsync(), pool, now, cancellationToken);
        }
        wrote |= await QueueOwedEmailsAsync(await CurrentAsync(), now, cancellationToken);
        return await CurrentAsync();
    }

    /// <summary>No answer in <see cref="AnswerWithin"/> counts as no.</summary>
    private async Task<bool> ExpireSilenceAsync(GroupWithSeats group, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var wrote = false;
        foreach (var seat in group.Seats.Where(s => AnswerTimeIsOver(s, now)))
        {
            await groups.TryUpdateSeatAsync(seat with { Answer = "no", AnsweredAt = now, Expired = true }, cancellationToken);
            wrote = true;
        }
        return wrote;
    }

    /// <summary>While it forms: called off after <see cref="FormWithin"/>, formed at the convener and 3 others, or its gaps filled.</summary>
    private async Task<bool> TakeFormingStepAsync(GroupWithSeats group, ReplacementPool pool, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var convener = group.Seat(group.Group.ConvenerId);
        var yes = group.Seats.Where(s => s.IsYes).ToList();
        if (group.Group.CreatedAt + FormWithin <= now)
        {
            await groups.TryUpdateAsync(group.Group with { State = GroupStates.CalledOff, ClosedAt = now }, [], cancellationToken);
            return true;
        }
        if (convener is { IsYes: true, DeclinedConvening: false } && yes.Count >= YesToForm)
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
            return true;
        }
        // Gaps are filled only while the group still needs people to form.
        return await ReplaceAsync(group, pool, now, cancellationToken);
    }

    /// <summary>Once formed: a late yes joins (the others are told).</summary>
    private async Task<bool> TakeFormedStepsAsync(GroupWithSeats group, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var joined = false;
        foreach (var late in group.Seats.Where(s => s.IsYes && s.JoinedAt is null))
        {
            await groups.TryUpdateSeatAsync(late with { JoinedAt = now }, cancellationToken);
            joined = true;
        }
        return joined;
    }

    /// <summary>
    /// While a group forms, a convener who declined, left or erased hands over to the most experienced willing member
    /// who said yes (their profile says they are willing, and their yes came with the role in view); with none yet, the
    /// group waits for one.
    /// </summary>
    private async Task<bool> HandOverAsync(GroupWithSeats group, CancellationToken cancellationToken)
    {
        var current = group.Seat(group.Group.ConvenerId);
        if (current is not null && !current.IsOut && !current.DeclinedConvening)
        {
            return false;
        }
        var willing = await WillingAsync(group, s => s.IsYes, cancellationToken);
        if (willing.FirstOrDefault() is not { } next)
        {
            return false;
        }
        await groups.TryUpdateAsync(group.Group with { ConvenerId = next }, [], cancellationToken);
        return true;
    }

    /// <summary>
    /// Once formed, nobody becomes convener without saying yes: when the convener leaves, erases or passes the role on,
    /// the willing members are asked in turn, most experienced first, each with <see cref="ConvenerAnswerWithin"/> to
    /// answer (silence is a no). When nobody takes it on, the group goes on without one (any member may still step up).
    /// </summary>
    private async Task<bool> AskForConvenerAsync(GroupWithSeats group, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var g = group.Group;
        if (group.Seat(g.ConvenerId) is { IsMember: true })
        {
            return false;
        }
        if (g.ConvenerAsked is { } asked && group.Seat(asked) is { IsMember: true, DeclinedConvening: false } deciding)
        {
            if (g.ConvenerAskedAt + ConvenerAnswerWithin > now)
            {
                return false;
            }
            await groups.TryUpdateSeatAsync(deciding with { DeclinedConvening = true }, cancellationToken);
        }
        var next = (await WillingAsync(group, s => s.IsMember && s.PractitionerId != g.ConvenerAsked, cancellationToken)).FirstOrDefault();
        if (g.ConvenerId.Length == 0 && g.ConvenerAsked == next)
        {
            return false;
        }
        await groups.TryUpdateAsync(g with { ConvenerId = "", ConvenerAsked = next, ConvenerAskedAt = next is null ? null : now }, [], cancellationToken);
        return true;
    }

    /// <summary>Those of <paramref name="eligible"/> seats whose profile says they are willing to convene and who have not declined it, most experienced first.</summary>
    private async Task<List<string>> WillingAsync(GroupWithSeats group, Func<GroupSeat, bool> eligible, CancellationToken cancellationToken)
    {
        var willing = new List<(string Id, int Years)>();
        foreach (var seat in group.Seats.Where(s => s.PractitionerId != group.Group.ConvenerId && !s.DeclinedConvening && eligible(s)))
        {
            if (await practitioners.GetAsync(seat.PractitionerId, cancellationToken) is { Profile.WillingToConvene: true } p)
            {
                willing.Add((p.Id, p.Profile.YearsExperience));
            }
        }
        return willing.OrderByDescending(w => w.Years).ThenBy(w => w.Id, StringComparer.Ordinal).Select(w => w.Id).ToList();
    }

    /// <summary>For each "no" not replaced yet, invites the seeker in no group who best fills the gap (when someone fits).</summary>
    private async Task<bool> ReplaceAsync(GroupWithSeats group, ReplacementPool pool, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var gaps = group.Seats.Where(s => s.IsOut && !s.Replaced).ToList();
        var wrote = false;
        foreach (var gap in gaps)
        {
            if (await BestNewcomerAsync(group, s => !s.IsOut, pool, now, cancellationToken) is not { } newcomer)
            {
                break;
            }
            wrote = true;
            if (await groups.TryReplaceAsync(gap with { Replaced = true }, new GroupSeat(group.Group.Id, newcomer, now), cancellationToken))
            {
                group = await ReloadAsync(group.Group.Id, group, cancellationToken);
                await seekers.ForgetIfErasedAsync(newcomer, cancellationToken);
            }
        }
        return wrote;
    }

    /// <summary>
    /// A formed group looking for members proposes the seeker in no group who best fills the gap (the same rules as a
    /// replacement), for its convener to approve on the group's page: one at a time, and none while an invitation is out.
    /// </summary>
    private async Task<bool> ProposeNewcomerAsync(GroupWithSeats group, ReplacementPool pool, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var g = group.Group;
        if (group.Members.Count() >= GroupHealth.Seats || g.Proposed is not null || group.Seats.Any(s => s.IsPending)
            || await BestNewcomerAsync(group, s => s.IsMember, pool, now, cancellationToken) is not { } newcomer)
        {
            return false;
        }
        return await groups.TryUpdateAsync(g with { Proposed = newcomer }, [], cancellationToken);
    }

    /// <summary>
    /// The seeker in no group who best joins those of the group that <paramref name="stays"/>, from the pool read under
    /// the formation lease (none while another holds it). Never someone who ever had a seat in the group, or was passed
    /// over for it; taken from the pool at once, so the same settle proposes them nowhere else.
    /// </summary>
    private async Task<string?> BestNewcomerAsync(GroupWithSeats group, Func<GroupSeat, bool> stays, ReplacementPool pool, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await pool.GetAsync() is not var (population, taken))
        {
            return null;
        }
        var everyone = population.Everyone;
        var staying = group.Seats.Where(s => stays(s) && everyone.ContainsKey(s.PractitionerId))
            .OrderByDescending(s => s.PractitionerId == group.Group.ConvenerId)
            .Select(s => new Candidate(s.PractitionerId, everyone[s.PractitionerId].Profile))
            .ToList();
        var candidates = population.Eligible
            .Where(c => !taken.Contains(c.Id) && group.Seat(c.Id) is null && group.Group.PassedOver?.Contains(c.Id) != true)
            .ToList();
        var formation = new GroupFormation(await rankers.CurrentAsync(cancellationToken));
        var newcomer = formation.Replacement(group.Group.Model, group.Group.Language, group.Group.Meeting, staying, candidates, now);
        if (newcomer is not null)
        {
            taken.Add(newcomer);
        }
        return newcomer;
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
            if (group.Group.State == GroupStates.Formed && group.Group.ConvenerAsked == seat.PractitionerId && seat.IsMember && !seat.WasQueued(SeatMarks.ConvenerRequest))
            {
                owed.Add((SeatMarks.ConvenerRequest, [GroupEmailJobs.ConvenerRequest(id, seat.PractitionerId)]));
            }
            if (group.Group.State == GroupStates.WoundDown && seat.IsMember && !seat.WasQueued(SeatMarks.WoundDownTold))
            {
                owed.Add((SeatMarks.WoundDownTold, [GroupEmailJobs.WoundDown(id, seat.PractitionerId)]));
            }
            if (group.Group.ConvenerAcceptedAt is not null && group.Group.ConvenerId == seat.PractitionerId && seat.IsMember && !seat.WasQueued(SeatMarks.ConvenerTold))
            {
                owed.Add((SeatMarks.ConvenerTold, others.Select(o => GroupEmailJobs.ConvenerChosen(id, seat.PractitionerId, o.PractitionerId))));
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
}
