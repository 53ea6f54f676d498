using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using PeerMatch.Functions.Http;
using PeerMatch.Functions.Intake;
using PeerMatch.Links;
using PeerMatch.Matching;
using PeerMatch.Matching.Groups;
using PeerMatch.Practitioners;
using PeerMatch.Validation;

namespace PeerMatch.Functions.Groups;

/// <summary>A formed group's open seats: whether it looks for members, and the newcomer proposed (first name) for the convener to decide on.</summary>
public sealed record GroupSeatsView(int Members, bool Looking, string? Proposed, bool YouDecide);

/// <summary>Where a formed group's convener role stands for the member asking: who convenes, and whether they may take it on.</summary>
public sealed record GroupConvening(bool YouConvene, string? Convener, bool YouAreAsked, bool NobodyAsked);

/// <summary>
/// The convener role of a formed group: <c>GET /api/groups/{id}/convene</c> shows where it stands (what a
/// <c>group-convener-request</c> links to; GET records nothing), <c>POST …/convene</c> with <c>answer=yes</c> takes it on
/// (when asked, or when nobody convenes and nobody is asked) and <c>answer=no</c> passes it on.
/// </summary>
public sealed class GroupRolesApi(LinkedPages pages, GroupPages groupPages, GroupAnswers answers, GroupLife life, GroupSettling settling,
    IPractitionerRepository practitioners)
{
    /// <summary>
    /// <c>POST /api/groups/{id}/seats</c>: the convener's answer (any member's while nobody convenes) to the newcomer
    /// proposed for an open seat: <c>answer=yes</c> invites them, <c>answer=no</c> passes them over for good.
    /// </summary>
    [Function("GroupSeats")]
    public Task<Results<Ok<GroupSeatsView>, SeeOther, ValidationProblem, ProblemHttpResult, LinkProblemResult>> SeatsAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = GroupRoutes.GroupSeats)] HttpRequest request, string id, CancellationToken cancellationToken) =>
        pages.AnswerAsync(request, groupPages.Group, id, ReadDecision,
            async (seen, answer, ct) => await life.DecideProposalAsync(id, seen.Viewer.Id, answer == "yes", ct) is null
                ? null
                : await groupPages.SeatsViewAsync(await settling.SettleAsync(id, ct), seen.Viewer.Id, ct),
            cancellationToken);

    private static string ReadDecision(GroupSeen seen, IReadOnlyDictionary<string, string> fields, ValidationErrors errors)
    {
        if (!GroupLife.MayDecide(seen.Group, seen.Viewer.Id))
        {
            errors.Add("answer", "Only the convener decides on newcomers.");
        }
        return LinkedPages.YesOrNo(fields, errors);
    }

    [Function("GroupConvene")]
    public async Task<Results<RazorComponentResult<GroupConvenePage>, Ok<GroupConvening>, SeeOther, LinkProblemResult>> ShowConveneAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = GroupRoutes.GroupConvene)] HttpRequest request, string id, CancellationToken cancellationToken)
    {
        var (found, problem) = await pages.OpenAsync(request, groupPages.Convene, id, cancellationToken);
        if (found is not var (group, viewer))
        {
            return new LinkProblemResult(groupPages.Convene.Kind, problem);
        }
        if (group.Group.State != GroupStates.Formed || !group.Seat(viewer.Id)!.IsMember)
        {
            return LinkedPages.Reopened(request, groupPages.Group, id);
        }
        var convening = await ConveningAsync(group, viewer.Id, cancellationToken);
        return Pages.PrefersHtml(request)
            ? Pages.Render<GroupConvenePage>(new
            {
                convening.YouConvene,
                convening.Convener,
                convening.YouAreAsked,
                convening.NobodyAsked,
                ConvenePath = Routes.WithToken(GroupRoutes.GroupConvene, request.LinkToken(), id),
                GroupPath = Routes.WithToken(GroupRoutes.Group, request.LinkToken(), id),
            })
            : TypedResults.Ok(convening);
    }

    [Function("GroupConveneAnswer")]
    public Task<Results<Ok<GroupConvening>, SeeOther, ValidationProblem, ProblemHttpResult, LinkProblemResult>> ConveneAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = GroupRoutes.GroupConvene)] HttpRequest request, string id, CancellationToken cancellationToken) =>
        pages.AnswerAsync(request, groupPages.Convene, id, LinkedPages.YesOrNo,
            async (seen, answer, ct) => await answers.ConveneAsync(id, seen.Viewer.Id, answer == "yes", ct) is { } group
                ? await ConveningAsync(group, seen.Viewer.Id, ct)
                : null,
            cancellationToken);

    private async Task<GroupConvening> ConveningAsync(GroupWithSeats group, string viewerId, CancellationToken cancellationToken)
    {
        var g = group.Group;
        var convener = g.ConvenerId.Length > 0 && g.ConvenerId != viewerId && group.Seat(g.ConvenerId) is { IsMember: true }
            ? await practitioners.GetAsync(g.ConvenerId, cancellationToken)
            : null;
        return new GroupConvening(g.ConvenerId == viewerId, convener is null ? null : Reasons.FirstName(convener.Profile.Name),
            g.ConvenerAsked == viewerId, convener is null && g.ConvenerId != viewerId && g.ConvenerAsked is null);
    }
}
