namespace PeerMatch.Matching.Groups;

/// <summary>What an answer to a group invitation did: the answer that counts, and the group as it stands after it.</summary>
public sealed record GroupAnswerOutcome(string? Answer, GroupWithSeats Group);

/// <summary>
/// Members' answers: to the invitation (the first counts; a convener may say yes as a member only), leaving, and the
/// check-in. Each is written only over the seat it was decided from; then the group takes its next steps.
/// </summary>
public sealed class GroupAnswers(IGroupStore groups, GroupSettling settling, TimeProvider clock)
{
    private const int WriteAttempts = 4;

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
            if (GroupSettling.AnswerTimeIsOver(seat, now) || (!first && !declines))
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
        var tooLate = GroupSettling.AnswerTimeIsOver(seat, now);
        // Settled even when this call changed nothing (a repeated click): the group is told as it stands after the
        // answer that counted, not as read before it settled, so simultaneous repeats all say the same.
        var settled = await settling.SettleAsync(groupId, cancellationToken) ?? read;
        return new GroupAnswerOutcome(tooLate ? settled.Seat(practitionerId)?.Answer : seat.Answer, settled);
    }

    /// <summary>A member leaves (a formed group, or one still forming): the others are told, a forming group invites someone else.</summary>
    public async Task<GroupWithSeats?> LeaveAsync(string groupId, string practitionerId, CancellationToken cancellationToken)
    {
        var done = await ChangeSeatAsync(groupId, practitionerId,
            (group, seat) => seat.IsOut || !group.Group.IsOpen ? null : seat with { LeftAt = clock.GetUtcNow() }, cancellationToken);
        return done is { Changed: true } ? await settling.SettleAsync(groupId, cancellationToken) : done?.Group;
    }

    /// <summary>
    /// A member's answer about the convener role of a formed group. Yes takes it on when they were asked, or when nobody
    /// convenes and nobody is being asked (anyone may step up); no passes it on (a convener stepping down, or someone
    /// asked who declines) and they are not asked again. Then the group takes its next steps (the others are told, or
    /// the next willing member asked). Null when the person is not a member of the group.
    /// </summary>
    public async Task<GroupWithSeats?> ConveneAsync(string groupId, string practitionerId, bool yes, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        for (var attempt = 0; attempt < WriteAttempts; attempt++)
        {
            if (await groups.GetAsync(groupId, cancellationToken) is not { } group || group.Seat(practitionerId) is not { IsMember: true } seat
                || group.Group.State != GroupStates.Formed)
            {
                return null;
            }
            var g = group.Group;
            var convenes = g.ConvenerId == practitionerId;
            var nobodyConvenes = group.Seat(g.ConvenerId) is not { IsMember: true };
            (PeerGroup Group, GroupSeat Seat)? change = yes switch
            {
                true when convenes => null,
                true when g.ConvenerAsked == practitionerId || (nobodyConvenes && g.ConvenerAsked is null) =>
                    (g with { ConvenerId = practitionerId, ConvenerAsked = null, ConvenerAskedAt = null, ConvenerAcceptedAt = now }, seat with { DeclinedConvening = false }),
                true => null, // someone else convenes, or is being asked first
                false when seat.DeclinedConvening && !convenes => null,
                false => (g with { ConvenerId = convenes ? "" : g.ConvenerId, ConvenerAsked = g.ConvenerAsked == practitionerId ? null : g.ConvenerAsked },
                    seat with { DeclinedConvening = true }),
            };
            if (change is not var (changedGroup, changedSeat))
            {
                return group;
            }
            if (await groups.TryUpdateAsync(changedGroup, [changedSeat], cancellationToken))
            {
                return await settling.SettleAsync(groupId, cancellationToken);
            }
        }
        throw new InvalidOperationException($"Group {groupId} kept meeting other writes.");
    }

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
}
