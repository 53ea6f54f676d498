using PeerMatch.Email;
using PeerMatch.Practitioners;

namespace PeerMatch.Matching.Groups;

/// <summary>What a formation did: the groups it stored (invitations are queued), and who it left out, with why.</summary>
public sealed record GroupFormationOutcome(IReadOnlyList<GroupWithSeats> Groups, IReadOnlyList<UnplacedSeeker> Unplaced, bool Busy = false);

/// <summary>
/// Forming groups: each week's (once, whichever run comes first), an organizer's for a region or a model, and one a
/// willing convener asks to start. One formation runs at a time (a lease), so nobody lands in two new groups; the
/// groups are stored, and their first steps (the invitations) taken.
/// </summary>
public sealed class GroupForming(IGroupStore groups, IRankerStore rankers, GroupSeekers seekers, GroupSettling settling, PeerGroups standing, TimeProvider clock)
{
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
            if ((await standing.OfAsync(convener.Id, cancellationToken)).Any(g => g.Group.IsOpen && !g.Seat(convener.Id)!.IsOut))
            {
                return (null, "You are already in a group that is forming or has formed.");
            }
            var (population, taken) = await seekers.PoolAsync(now, cancellationToken);
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
                await settling.SettleAsync(group.Group.Id, cancellationToken);
                return (group, null);
            }
            var whyNot = plan.Unplaced.FirstOrDefault(u => u.Id == convener.Id)?.Why ?? NoGroupReason.TooFew();
            await groups.SaveWaitingAsync([new UnplacedSeeker(convener.Id, convener.Profile.Name, whyNot)], now, cancellationToken);
            return (null, whyNot.ToSeeker());
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
        var (population, taken) = await seekers.PoolAsync(now, cancellationToken);
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
            await settling.SettleAsync(group.Group.Id, cancellationToken);
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
            await seekers.ForgetIfErasedAsync(seat.PractitionerId, cancellationToken);
        }
        return new GroupWithSeats(group, seats);
    }
}
