namespace PeerMatch.Matching.Groups;

/// <summary>
/// Ground rules the group owns: it starts from the draft; its convener edits the group's copy (each edit a new version,
/// shown to every member); each member agrees or objects to the version that stands, and the page shows who has not
/// answered yet. Each answer is written over the seat it was decided from; a repeat changes nothing.
/// </summary>
public sealed class GroupRules(IGroupStore groups)
{
    /// <summary>How long the group's rules may be.</summary>
    public const int MaxLength = 4_000;

    /// <summary>The convener's new version of the rules (they agree to their own). Null when they are not the convener of a formed group.</summary>
    public Task<GroupWithSeats?> EditAsync(string groupId, string convenerId, string rules, CancellationToken cancellationToken) =>
        ChangeAsync(groupId, convenerId, (group, seat) =>
        {
            if (group.Group.ConvenerId != convenerId)
            {
                return null;
            }
            var version = group.Group.RulesVersion + 1;
            return (group.Group with { Rules = rules, RulesVersion = version }, seat with { RulesAgreed = true, RulesVersionAnswered = version });
        }, cancellationToken);

    /// <summary>A member agrees or objects to the rules as they stand (a later answer to the same version replaces theirs).</summary>
    public Task<GroupWithSeats?> AnswerAsync(string groupId, string practitionerId, bool agree, CancellationToken cancellationToken) =>
        ChangeAsync(groupId, practitionerId, (group, seat) => seat.AgreesTo(group.Group.RulesVersion) == agree
            ? (group.Group, seat)
            : (group.Group, seat with { RulesAgreed = agree, RulesVersionAnswered = group.Group.RulesVersion }), cancellationToken);

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
                return null;
            }
            if (ReferenceEquals(changedSeat, seat))
            {
                return group;
            }
            // Written with the group's version too: an answer to a version the convener just replaced is decided again.
            if (await groups.TryUpdateAsync(changedGroup, [changedSeat], cancellationToken))
            {
                return await groups.GetAsync(groupId, cancellationToken);
            }
        }
        throw new InvalidOperationException($"Group {groupId} kept meeting other writes.");
    }
}
