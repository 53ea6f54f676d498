using PeerMatch.Email;
using PeerMatch.Practitioners;

namespace PeerMatch.Matching.Groups;

/// <summary>
/// Where a group stands, as organizers see it: inviting, active, looking for members (fewer than 4), lapsed (no sign
/// of meeting in 8 weeks: no meeting marked held, no check-in saying it met), wound down or called off.
/// </summary>
public static class GroupHealth
{
    public const string Active = "active";
    public const string LookingForMembers = "looking-for-members";
    public const string Lapsed = "lapsed";

    public static readonly string[] All = [GroupStates.Inviting, Active, LookingForMembers, Lapsed, GroupStates.WoundDown, GroupStates.CalledOff];

    public static readonly TimeSpan LapsedAfter = TimeSpan.FromDays(56);

    /// <summary>A formed group with fewer members than this looks for more.</summary>
    public const int Seats = 4;

    public static string Of(GroupWithSeats group, DateTimeOffset now) => group.Group.State switch
    {
        GroupStates.Formed when group.Members.Count() < Seats => LookingForMembers,
        GroupStates.Formed when LastSign(group.Group) + LapsedAfter <= now => Lapsed,
        GroupStates.Formed => Active,
        var state => state,
    };

    /// <summary>The last sign the group met, or its forming.</summary>
    public static DateTimeOffset LastSign(PeerGroup group) => group.LastMetAt ?? group.FormedAt ?? group.CreatedAt;
}

/// <summary>
/// A formed group over the months: a check-in every 6 weeks ("did your group meet since …?"), one nudge to the convener
/// when it lapses, the convener's yes or no to a newcomer proposed for an open seat, and winding down a group that has
/// had fewer than 3 members for 4 weeks (its members are told, its calendar event cancelled, and they go back among
/// those groups are formed for). Each step a conditional write and each e-mail a job with a stable id.
/// </summary>
public sealed class GroupLife(IGroupStore groups, IEmailScheduler emails, TimeProvider clock)
{
    public static readonly TimeSpan CheckInEvery = TimeSpan.FromDays(42);
    public static readonly TimeSpan WindDownAfter = TimeSpan.FromDays(28);

    /// <summary>Fewer members than this for <see cref="WindDownAfter"/> winds a group down.</summary>
    public const int FewestMembers = 3;

    /// <summary>The hourly steps of a formed group's life; true when one wrote.</summary>
    public async Task<bool> TendAsync(GroupWithSeats group, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var g = group.Group;
        if (g.State != GroupStates.Formed)
        {
            return false;
        }
        var members = group.Members.ToList();
        var below = members.Count < FewestMembers;
        if (below && g.BelowThreeSince + WindDownAfter <= now)
        {
            return await groups.TryUpdateAsync(g with { State = GroupStates.WoundDown, ClosedAt = now }, [], cancellationToken);
        }
        var changed = g with { BelowThreeSince = below ? g.BelowThreeSince ?? now : null };
        var round = (int)((now - (g.FormedAt ?? now)) / CheckInEvery);
        if (round > g.CheckInRound)
        {
            foreach (var member in members)
            {
                await emails.EnqueueAsync(GroupEmailJobs.CheckIn(g.Id, member.PractitionerId, round), cancellationToken);
            }
            changed = changed with { CheckInRound = round, CheckInQueuedAt = g.CheckInQueuedAt ?? now };
        }
        if (g.RulesVersion > g.RulesQueued)
        {
            foreach (var member in members.Where(m => m.PractitionerId != g.ConvenerId))
            {
                await emails.EnqueueAsync(GroupEmailJobs.Rules(g.Id, g.RulesVersion, member.PractitionerId), cancellationToken);
            }
            changed = changed with { RulesQueued = g.RulesVersion };
        }
        var since = GroupHealth.LastSign(g);
        if (GroupHealth.Of(group, now) == GroupHealth.Lapsed && !(g.LapsedNudgedAt > since) && group.Seat(g.ConvenerId) is { IsMember: true })
        {
            await emails.EnqueueAsync(GroupEmailJobs.Lapsed(g.Id, g.ConvenerId, since), cancellationToken);
            changed = changed with { LapsedNudgedAt = now };
        }
        return changed != g && await groups.TryUpdateAsync(changed, [], cancellationToken);
    }

    /// <summary>
    /// The convener's answer to the newcomer proposed for an open seat (any member's, while nobody convenes): yes invites
    /// them, no passes them over for good. Null when the person may not decide, or nobody is proposed.
    /// </summary>
    public async Task<GroupWithSeats?> DecideProposalAsync(string groupId, string practitionerId, bool invite, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 4; attempt++)
        {
            if (await groups.GetAsync(groupId, cancellationToken) is not { Group.State: GroupStates.Formed } group
                || group.Seat(practitionerId) is not { IsMember: true } || !MayDecide(group, practitionerId))
            {
                return null;
            }
            if (group.Group.Proposed is not { } proposed)
            {
                return group;
            }
            var now = clock.GetUtcNow();
            var decided = group.Group with { Proposed = null, PassedOver = invite ? group.Group.PassedOver : [.. group.Group.PassedOver ?? [], proposed] };
            // Days may pass before the convener answers: someone who joined another group meanwhile is not invited (another is proposed).
            var written = invite && group.Seat(proposed) is null && !await InAnotherGroupAsync(proposed, groupId, cancellationToken)
                ? await groups.TryAddSeatAsync(decided, new GroupSeat(groupId, proposed, now), cancellationToken)
                : await groups.TryUpdateAsync(decided, [], cancellationToken);
            if (written)
            {
                return await groups.GetAsync(groupId, cancellationToken);
            }
        }
        throw new InvalidOperationException($"Group {groupId} kept meeting other writes.");
    }

    private async Task<bool> InAnotherGroupAsync(string practitionerId, string groupId, CancellationToken cancellationToken)
    {
        foreach (var id in await groups.GroupIdsOfAsync(practitionerId, cancellationToken))
        {
            if (id != groupId && await groups.GetAsync(id, cancellationToken) is { Group.IsOpen: true } other && other.Seat(practitionerId) is { IsOut: false })
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The convener decides on newcomers; while nobody convenes, any member does.</summary>
    public static bool MayDecide(GroupWithSeats group, string practitionerId) =>
        group.Group.ConvenerId == practitionerId || group.Seat(group.Group.ConvenerId) is not { IsMember: true };

    /// <summary>Records a check-in answer for the current round (the first counts); a yes is a sign the group met.</summary>
    public async Task<string?> RecordMetAsync(string groupId, string practitionerId, string met, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 4; attempt++)
        {
            if (await groups.GetAsync(groupId, cancellationToken) is not { } group || group.Seat(practitionerId) is not { } seat)
            {
                return null;
            }
            var round = Math.Max(1, group.Group.CheckInRound);
            if (seat.Met is not null && Math.Max(1, seat.MetRound) >= round)
            {
                return seat.Met;
            }
            var answered = seat with { Met = met, MetRound = round };
            var written = met == "yes"
                ? await groups.TryUpdateAsync(group.Group with { LastMetAt = clock.GetUtcNow() }, [answered], cancellationToken)
                : await groups.TryUpdateSeatAsync(answered, cancellationToken);
            if (written)
            {
                return met;
            }
        }
        throw new InvalidOperationException($"Group {groupId} kept meeting other writes.");
    }
}
