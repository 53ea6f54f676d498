using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using PeerMatch.Functions.Http;
using PeerMatch.Functions.Intake;
using PeerMatch.Functions.Links;
using PeerMatch.Intake;
using PeerMatch.Links;
using PeerMatch.Matching.Groups;
using PeerMatch.Practitioners;

namespace PeerMatch.Functions.Groups;

/// <summary>One of the practitioner's groups on their profile page: where it stands for them, and its page.</summary>
public sealed record ProfileGroup(GroupPage.MemberStatus Status, string Description, string Path);

/// <summary>
/// The profile page's peer-group section: the groups the practitioner is in (or was asked into), or, for someone seeking
/// a group and in none, that we are looking and why none has formed yet; and whether they may start one (a willing convener).
/// </summary>
public sealed record ProfileGroupStatus(IReadOnlyList<ProfileGroup> Groups, bool Seeking, string? WaitingReason, bool CanStart);

public sealed record GroupStarted(string GroupId, string State);

/// <summary>The practitioner's groups on their profile page, and <c>POST /api/me/group</c>: a willing convener starts a group now.</summary>
public sealed class ProfileGroups(PeerGroups groups, GroupForming forming, LinkSigner signer, GroupLinks links, IPractitionerRepository repository, TimeProvider clock)
{
    public async Task<ProfileGroupStatus> StatusAsync(Practitioner practitioner, CancellationToken cancellationToken)
    {
        var mine = await groups.OfAsync(practitioner.Id, cancellationToken);
        var items = new List<ProfileGroup>();
        foreach (var group in mine)
        {
            var status = GroupPage.StatusOf(group.Group, group.Seat(practitioner.Id)!);
            items.Add(new ProfileGroup(status, Describe(status, group.Group), (await links.GroupUrlAsync(practitioner.Id, group.Group.Id, cancellationToken)).PathAndQuery));
        }
        var inOne = items.Any(i => i.Status is GroupPage.MemberStatus.Invited or GroupPage.MemberStatus.Waiting or GroupPage.MemberStatus.Member);
        var seeking = practitioner.Profile.Seeking.Contains("peer-group");
        var reason = !inOne && (seeking || practitioner.Profile.WillingToConvene) ? await groups.WaitingReasonAsync(practitioner.Id, cancellationToken) : null;
        // A paused profile is grouped with nobody, so it is not offered to start a group either.
        var paused = practitioner.PausedUntil > DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        return new ProfileGroupStatus(items, seeking, reason, !inOne && !paused && practitioner.Profile.WillingToConvene);
    }

    [Function("StartGroup")]
    public async Task<Results<Accepted<GroupStarted>, SeeOther, ProblemHttpResult, LinkProblemResult>> StartAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = GroupRoutes.MyGroup)] HttpRequest request, CancellationToken cancellationToken)
    {
        var (practitioner, problem) = await signer.OpenAsync(request.LinkToken(), IntakeTokens.Manage, repository, cancellationToken);
        if (practitioner is null)
        {
            return new LinkProblemResult(IntakeLinks.Profile, problem);
        }
        var browser = Pages.PrefersHtml(request);
        if (!practitioner.Profile.WillingToConvene)
        {
            return browser ? BackToProfile(request, "not-willing")
                : TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Only a willing convener can start a group.",
                    detail: "Tick \"I would be willing to convene a peer group\" on your profile first.");
        }
        var (group, whyNot) = await forming.StartAroundAsync(practitioner, cancellationToken);
        if (group is null)
        {
            return browser ? BackToProfile(request, "not-yet")
                : TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "No group can form around you yet.", detail: whyNot);
        }
        return browser ? BackToProfile(request, "started") : TypedResults.Accepted((string?)null, new GroupStarted(group.Group.Id, group.Group.State));
    }

    /// <summary>The profile page again (post/redirect/get), at its group section, saying how it went.</summary>
    private static SeeOther BackToProfile(HttpRequest request, string outcome) =>
        Pages.SeeOther(Routes.WithToken(IntakeRoutes.Me, request.LinkToken()) + "&group=" + outcome + "#group");

    private static string Describe(GroupPage.MemberStatus status, PeerGroup group) =>
        $"An {group.Meeting} group of {PeerMatch.Practitioners.ReferenceData.InSentence(group.Model)} mediators, proposed {group.CreatedAt:d MMMM yyyy}: " + status switch
        {
            GroupPage.MemberStatus.Invited => "you are invited; please answer.",
            GroupPage.MemberStatus.Waiting => "you said yes; it forms when the convener and 3 others have.",
            GroupPage.MemberStatus.Member => "you are a member.",
            GroupPage.MemberStatus.Declined => "you said no (or did not answer in time).",
            GroupPage.MemberStatus.Left => "you left it.",
            _ => "it did not form.",
        };
}

/// <summary>The profile page's peer-group section: the groups someone is in, or why none has them yet, and starting one.</summary>
public sealed class GroupProfileSection(ProfileGroups groups) : IProfileSection
{
    public int Order => 10;

    public async Task<ProfileSectionView?> ViewAsync(Practitioner practitioner, string token, HttpRequest request, CancellationToken cancellationToken) =>
        new(typeof(ProfileGroupSection), new Dictionary<string, object?>
        {
            [nameof(ProfileGroupSection.Status)] = await groups.StatusAsync(practitioner, cancellationToken),
            [nameof(ProfileGroupSection.Token)] = token,
            [nameof(ProfileGroupSection.Outcome)] = request.Query["group"].FirstOrDefault() is "started" or "not-yet" or "not-willing" ? request.Query["group"].ToString() : null,
        });
}
