using PeerMatch.Functions.Intake;
using PeerMatch.Matching.Groups;
using PeerMatch.Practitioners;

namespace PeerMatch.Functions.Groups;

/// <summary>A group as the person a link was issued to sees it.</summary>
public sealed record GroupSeen(GroupWithSeats Group, Practitioner Viewer);

/// <summary>
/// The pages a member's group links open, each declared once: the group's page (and the actions posted from it), the
/// six-week check-in, and the convener role. Each opens the group for the member the token names, while they still
/// hold a seat in it.
/// </summary>
public sealed class GroupPages(PeerGroups groups, IPractitionerRepository practitioners, TimeProvider clock)
{
    public LinkedPage<GroupSeen> Group => new(GroupRoutes.Group, GroupLinks.Group, GroupLinks.GroupLink, FindAsync);

    public LinkedPage<GroupSeen> CheckIn => new(GroupRoutes.GroupCheckIn, GroupLinks.CheckIn, GroupLinks.GroupLink, FindAsync);

    public LinkedPage<GroupSeen> Convene => new(GroupRoutes.GroupConvene, GroupLinks.Group, GroupLinks.GroupLink, FindAsync);

    /// <summary>The open seats of a group as <paramref name="viewerId"/> sees them.</summary>
    public async Task<GroupSeatsView?> SeatsViewAsync(GroupWithSeats? group, string viewerId, CancellationToken cancellationToken)
    {
        if (group is null)
        {
            return null;
        }
        var proposed = group.Group.Proposed is { } id ? await practitioners.GetAsync(id, cancellationToken) : null;
        return new GroupSeatsView(group.Members.Count(), GroupHealth.Of(group, clock.GetUtcNow()) == GroupHealth.LookingForMembers,
            proposed is null ? null : PeerMatch.Matching.Reasons.FirstName(proposed.Profile.Name), GroupLife.MayDecide(group, viewerId));
    }

    private async Task<GroupSeen?> FindAsync(string practitionerId, string groupId, CancellationToken cancellationToken)
    {
        var group = await groups.GetAsync(groupId, cancellationToken);
        var viewer = group?.Seat(practitionerId) is null ? null : await practitioners.GetAsync(practitionerId, cancellationToken);
        return viewer is null ? null : new GroupSeen(group!, viewer);
    }
}
