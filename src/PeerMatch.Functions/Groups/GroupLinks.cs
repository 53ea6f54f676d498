using PeerMatch.Functions.Http;
using PeerMatch.Functions.Links;
using PeerMatch.Links;

namespace PeerMatch.Functions.Groups;

/// <summary>Peer groups' links: a member's group page and the check-in, each for one member and one group.</summary>
public sealed class GroupLinks(LinkSigner signer)
{
    /// <summary>A group page serves from the invitation until well after the first meeting.</summary>
    public static readonly TokenPurpose Group = new("Group", TimeSpan.FromDays(90));

    public static readonly TokenPurpose CheckIn = new("GroupCheckIn", TimeSpan.FromDays(28));

    public static readonly LinkKind GroupLink = new("This group is no longer available",
        "You are no longer in this group, or it was withdrawn. Your profile page shows the groups you are in, and we keep looking for a group for you.");

    /// <summary>A member's group page link: the token names the member and the group, so it opens nothing else.</summary>
    public Task<Uri> GroupUrlAsync(string practitionerId, string groupId, CancellationToken cancellationToken) =>
        signer.ScopedUrlAsync(GroupRoutes.Group, Group, practitionerId, groupId, cancellationToken);

    /// <summary>The convener role's page (the group's own token: it is a page of the group).</summary>
    public Task<Uri> ConveneUrlAsync(string practitionerId, string groupId, CancellationToken cancellationToken) =>
        signer.ScopedUrlAsync(GroupRoutes.GroupConvene, Group, practitionerId, groupId, cancellationToken);

    /// <summary>The "has your group met?" link of a check-in.</summary>
    public Task<Uri> GroupCheckInUrlAsync(string practitionerId, string groupId, CancellationToken cancellationToken) =>
        signer.ScopedUrlAsync(GroupRoutes.GroupCheckIn, CheckIn, practitionerId, groupId, cancellationToken);
}
