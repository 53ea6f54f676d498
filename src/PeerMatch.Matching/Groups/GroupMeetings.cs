using PeerMatch.Email;
using PeerMatch.Practitioners;

namespace PeerMatch.Matching.Groups;

/// <summary>A member's answer to the time poll: the proposed times that suit (by index), a time they propose, the rhythm they prefer, whether they take turns.</summary>
public sealed record PollAnswer(IReadOnlyList<int> TimesSuit, DateTimeOffset? Proposed, int? EveryWeeks, bool TakesTurns);

/// <summary>
/// A formed group's meetings. After forming, each member marks which proposed times suit them (and may propose
/// another); when all have answered, or <see cref="PollOpen"/> after forming, the time that suits most becomes the
/// standing meeting, every 2 or 4 weeks as most chose. Everyone then gets the recurring calendar event (again after
/// each change), and a reminder <see cref="RemindBefore"/> each meeting naming who facilitates and who brings the case.
/// </summary>
public sealed class GroupMeetings(IGroupStore groups, IPractitionerRepository practitioners, IEmailScheduler emails, TimeProvider clock)
{
    public static readonly TimeSpan PollOpen = TimeSpan.FromDays(5);
    public static readonly TimeSpan RemindBefore = TimeSpan.FromDays(2);

    /// <summary>Times a poll may offer at most (the three proposed, and members' own proposals).</summary>
    public const int MaxTimes = 8;

    /// <summary>
    /// Records a member's poll answer (a later answer replaces theirs while the poll is open; a proposed time joins the
    /// options, marked as suiting them). Null when they are not a member of a formed group; the group unchanged when the
    /// poll has closed or is full.
    /// </summary>
    public async Task<GroupWithSeats?> AnswerPollAsync(string groupId, string practitionerId, PollAnswer answer, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return await ChangeAsync(groupId, practitionerId, (group, seat) =>
        {
            var times = group.Group.MeetingTimes ?? [];
            if (group.Group.Standing is not null || answer.TimesSuit.Any(i => i < 0 || i >= times.Count))
            {
                return null;
            }
            var suit = answer.TimesSuit.Distinct().ToList();
            var changed = group.Group;
            if (answer.Proposed is { } proposed && proposed > now && !times.Contains(proposed))
            {
                if (times.Count >= MaxTimes)
                {
                    return null;
                }
                changed = changed with { MeetingTimes = [.. times, proposed] };
                suit.Add(times.Count);
            }
            var answered = seat with { TimesSuit = suit.Order().ToList(), EveryWeeks = answer.EveryWeeks, TakesTurns = answer.TakesTurns, PolledAt = now };
            return (changed, answered);
        }, cancellationToken);
    }

    /// <summary>
    /// The convener sets the standing meeting's time (its wall-clock time in their zone) or rhythm; each change raises the
    /// calendar's sequence, so everyone's calendar updates the one event. Null when they are not the convener of a formed group.
    /// </summary>
    public async Task<GroupWithSeats?> ChangeStandingAsync(string groupId, string practitionerId, DateTimeOffset? start, int? everyWeeks, CancellationToken cancellationToken)
    {
        var zone = (await practitioners.GetAsync(practitionerId, cancellationToken))?.Profile.Region.TimeZone ?? "UTC";
        return await ChangeAsync(groupId, practitionerId, (group, seat) =>
        {
            if (group.Group.ConvenerId != practitionerId || (start is null && everyWeeks is null))
            {
                return null;
            }
            var current = group.Group.Standing;
            var first = start ?? current?.Start(current.NextIndex(clock.GetUtcNow()));
            if (first is not { } at)
            {
                return null; // a rhythm needs a time to go with
            }
            var standing = StandingMeeting.At(at, current?.TimeZone ?? zone, everyWeeks ?? current?.EveryWeeks ?? StandingMeeting.DefaultEveryWeeks,
                (current?.Sequence ?? -1) + 1);
            // Turns and reminders count meetings from the new first one.
            return (group.Group with { Standing = standing, RemindedThrough = -1, Swaps = null, Held = null }, seat);
        }, cancellationToken);
    }

    /// <summary>A member hands their turn at one meeting to whoever has it at another, taking theirs in return.</summary>
    public async Task<GroupWithSeats?> SwapAsync(string groupId, string practitionerId, string role, int meeting, int other, CancellationToken cancellationToken) =>
        await ChangeAsync(groupId, practitionerId, (group, seat) =>
            group.Group.Standing is null || Turns.Swap(group, practitionerId, role, meeting, other) is not { } swaps
                ? null
                : (group.Group with { Swaps = swaps }, seat), cancellationToken);

    /// <summary>A member marks a meeting that has begun as held (once, however often it is sent).</summary>
    public async Task<GroupWithSeats?> MarkHeldAsync(string groupId, string practitionerId, int meeting, CancellationToken cancellationToken) =>
        await ChangeAsync(groupId, practitionerId, (group, seat) =>
            group.Group.Standing is not { } standing || meeting < 0 || standing.Start(meeting) > clock.GetUtcNow() || group.Group.Held?.Contains(meeting) == true
                ? null
                : (group.Group with { Held = [.. group.Group.Held ?? [], meeting], LastMetAt = Later(group.Group.LastMetAt, standing.Start(meeting)) }, seat),
            cancellationToken);

    private static DateTimeOffset Later(DateTimeOffset? a, DateTimeOffset b) => a > b ? a.Value : b;

    /// <summary>The hourly steps of a formed group's meetings: closing the poll, the calendar after a change, the reminders.</summary>
    public async Task<bool> TendAsync(GroupWithSeats group, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (group.Group.State != GroupStates.Formed)
        {
            return false;
        }
        var wrote = false;
        if (group.Group.Standing is null)
        {
            // Once closed, the calendar goes out in the same step: nothing else may come for a while to take it.
            if (!await ClosePollAsync(group, now, cancellationToken) || await groups.GetAsync(group.Group.Id, cancellationToken) is not { Group.Standing: not null } closed)
            {
                return false;
            }
            (group, wrote) = (closed, true);
        }
        var standing = group.Group.Standing!;
        if (group.Group.CalendarQueued < standing.Sequence)
        {
            foreach (var member in group.Members)
            {
                await emails.EnqueueAsync(GroupEmailJobs.Meeting(group.Group.Id, standing.Sequence, member.PractitionerId), cancellationToken);
            }
            wrote |= await groups.TryUpdateAsync(group.Group with { CalendarQueued = standing.Sequence }, [], cancellationToken);
        }
        var next = standing.NextIndex(now);
        if (group.Group.RemindedThrough < next && standing.Start(next) - RemindBefore <= now)
        {
            foreach (var member in group.Members)
            {
                await emails.EnqueueAsync(GroupEmailJobs.Reminder(group.Group.Id, next, member.PractitionerId), cancellationToken);
            }
            // Read again: the calendar's mark above changed the group's version.
            if (await groups.GetAsync(group.Group.Id, cancellationToken) is { } current)
            {
                wrote |= await groups.TryUpdateAsync(current.Group with { RemindedThrough = next }, [], cancellationToken);
            }
        }
        return wrote;
    }

    /// <summary>
    /// The poll closes when every member has answered, or <see cref="PollOpen"/> after forming: the time most marked as
    /// suiting (the earlier on a tie) becomes the standing meeting, at the rhythm most chose (4 weeks on a tie), kept in
    /// the convener's time zone.
    /// </summary>
    private async Task<bool> ClosePollAsync(GroupWithSeats group, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var members = group.Members.ToList();
        var times = group.Group.MeetingTimes ?? [];
        if (times.Count == 0 || (members.Any(m => m.PolledAt is null) && group.Group.FormedAt + PollOpen > now))
        {
            return false;
        }
        var votes = times.Select((t, i) => (Time: t, Index: i, Count: members.Count(m => m.TimesSuit?.Contains(i) == true))).ToList();
        var chosen = votes.OrderByDescending(v => v.Count).ThenBy(v => v.Time).First().Time;
        var rhythms = members.Where(m => m.EveryWeeks is not null).GroupBy(m => m.EveryWeeks!.Value).Select(g => (Weeks: g.Key, Count: g.Count())).ToList();
        var every = rhythms.Count == 0 || rhythms.Count(r => r.Count == rhythms.Max(x => x.Count)) > 1
            ? StandingMeeting.DefaultEveryWeeks
            : rhythms.MaxBy(r => r.Count).Weeks;
        var keeper = group.Seat(group.Group.ConvenerId) is { IsMember: true } ? group.Group.ConvenerId : members.First().PractitionerId;
        var zone = (await practitioners.GetAsync(keeper, cancellationToken))?.Profile.Region.TimeZone ?? "UTC";
        return await groups.TryUpdateAsync(group.Group with { Standing = StandingMeeting.At(chosen, zone, every) }, [], cancellationToken);
    }

    /// <summary>
    /// Changes a group and a member's seat as <paramref name="change"/> decides from the group as read (null: nothing to
    /// change), both written over what they were decided from, and decided again when another write came first. The
    /// group as it stands; null when the person is not a member of the formed group.
    /// </summary>
    private async Task<GroupWithSeats?> ChangeAsync(string groupId, string practitionerId,
        Func<GroupWithSeats, GroupSeat, (PeerGroup Group, GroupSeat Seat)?> change, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 4; attempt++)
        {
            if (await groups.GetAsync(groupId, cancellationToken) is not { Group.State: GroupStates.Formed } group
                || group.Seat(practitionerId) is not { IsMember: true } seat)
            {
                return null;
            }
            if (change(group, seat) is not var (changedGroup, changedSeat))
            {
                return group;
            }
            var written = ReferenceEquals(changedGroup, group.Group)
                ? await groups.TryUpdateSeatAsync(changedSeat, cancellationToken)
                : await groups.TryUpdateAsync(changedGroup, ReferenceEquals(changedSeat, seat) ? [] : [changedSeat], cancellationToken);
            if (written)
            {
                return await groups.GetAsync(groupId, cancellationToken);
            }
        }
        throw new InvalidOperationException($"Group {groupId} kept meeting other writes.");
    }
}
