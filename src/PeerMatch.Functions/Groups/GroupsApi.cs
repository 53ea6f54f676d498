using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using PeerMatch.Functions.Http;
using PeerMatch.Functions.Intake;
using PeerMatch.Functions.Links;
using PeerMatch.Links;
using PeerMatch.Matching;
using PeerMatch.Matching.Groups;
using PeerMatch.Practitioners;
using PeerMatch.Validation;

namespace PeerMatch.Functions.Groups;

/// <summary>Someone in a group as the page shows them before it forms: no name beyond the first, no address.</summary>
public sealed record GroupCard(string FirstName, string Place, IReadOnlyList<string> Models, int YearsExperience, bool Convener);

/// <summary>A member of a formed group, as the other members see them.</summary>
public sealed record GroupContact(string Name, string Email, bool Convener);

/// <summary>A member's group page as an API client sees it; <see cref="Members"/> and <see cref="MeetingTimes"/> only once they are in the formed group.</summary>
public sealed record GroupPageView(
    string GroupId,
    string State,
    string YourStatus,
    bool YouConvene,
    IReadOnlyList<GroupCard> Invited,
    IReadOnlyList<string> Reasons,
    IReadOnlyList<ContentItem> GroundRules,
    IReadOnlyList<ContentItem> MeetingOutline,
    IReadOnlyList<GroupContact>? Members,
    IReadOnlyList<DateTimeOffset>? MeetingTimes,
    GroupMeetingsView? Meetings = null,
    string? Health = null,
    GroupSeatsView? Seats = null,
    GroupRulesView? Rules = null);

public sealed record GroupAnswerRecorded(string? Answer, string State, bool YouConvene);

public sealed record GroupLeft(string YourStatus);

/// <summary>
/// A member's links about a group: <c>GET /api/groups/{id}</c> shows it (mail scanners follow links: GET records
/// nothing), <c>POST …/answer</c> records yes or no (or a convener's <c>convene=no</c>), <c>POST …/leave</c> leaves it,
/// and <c>GET</c>/<c>POST …/met</c> is the six-week check-in. A browser's POST is redirected to the page, which shows the outcome.
/// </summary>
public sealed class GroupsApi(LinkedPages pages, GroupPages groupPages, GroupAnswers answers, GroupLife life, IPractitionerRepository practitioners, GroupContent content, TimeProvider clock)
{
    private LinkedPage<GroupSeen> GroupPageLink => groupPages.Group;

    private LinkedPage<GroupSeen> CheckInPageLink => groupPages.CheckIn;

    [Function("Group")]
    public async Task<Results<RazorComponentResult<GroupPage>, Ok<GroupPageView>, LinkProblemResult>> ShowAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = GroupRoutes.Group)] HttpRequest request, string id, CancellationToken cancellationToken)
    {
        var (found, problem) = await pages.OpenAsync(request, GroupPageLink, id, cancellationToken);
        if (found is not var (group, viewer))
        {
            return new LinkProblemResult(GroupLinks.GroupLink, problem);
        }
        var view = await GroupView.LoadAsync(group, practitioners, cancellationToken);
        var seat = group.Seat(viewer.Id)!;
        var member = GroupPage.StatusOf(group.Group, seat) == GroupPage.MemberStatus.Member;
        var times = member ? view.TimesFor(viewer.Profile.Region.TimeZone, clock.GetUtcNow()) : [];
        if (!Pages.PrefersHtml(request))
        {
            return TypedResults.Ok(new GroupPageView(id, group.Group.State, GroupPage.NameOf(GroupPage.StatusOf(group.Group, seat)), group.Group.ConvenerId == viewer.Id,
                view.Invited.Select(p => new GroupCard(p.FirstName, p.Place, p.Models, p.Profile.YearsExperience, p.Convenes)).ToList(),
                view.ReasonsNow(clock.GetUtcNow()), content.RulesOf(group.Group), content.Outline,
                member ? view.Members.Select(p => new GroupContact(p.Profile.Name, p.Profile.Email, p.Convenes)).ToList() : null,
                member ? times.Select(t => t.Start).ToList() : null,
                member ? GroupMeetingsApi.View(group, viewer.Id, clock.GetUtcNow(), person => person is null ? null : view.Person(person)?.FirstName) : null,
                GroupHealth.Of(group, clock.GetUtcNow()),
                member ? await groupPages.SeatsViewAsync(group, viewer.Id, cancellationToken) : null,
                member ? GroupRulesApi.View(group, content, view) : null));
        }
        return Pages.Render<GroupPage>(new
        {
            View = view,
            Seat = seat,
            ReaderZone = viewer.Profile.Region.TimeZone,
            Now = clock.GetUtcNow(),
            Reasons = view.ReasonsNow(clock.GetUtcNow()),
            GroundRules = content.RulesOf(group.Group),
            Outline = content.Outline,
            AnswerPath = Routes.WithToken(GroupRoutes.GroupAnswer, request.LinkToken(), id),
            LeavePath = Routes.WithToken(GroupRoutes.GroupLeave, request.LinkToken(), id),
            ConvenePath = Routes.WithToken(GroupRoutes.GroupConvene, request.LinkToken(), id),
            TimesPath = Routes.WithToken(GroupRoutes.GroupTimes, request.LinkToken(), id),
            TurnsPath = Routes.WithToken(GroupRoutes.GroupTurns, request.LinkToken(), id),
            HeldPath = Routes.WithToken(GroupRoutes.GroupHeld, request.LinkToken(), id),
            SeatsPath = Routes.WithToken(GroupRoutes.GroupSeats, request.LinkToken(), id),
            RulesPath = Routes.WithToken(GroupRoutes.GroupRules, request.LinkToken(), id),
            RulesView = member ? GroupRulesApi.View(group, content, view) : null,
            Proposed = member && group.Group.Proposed is { } proposed ? (await practitioners.GetAsync(proposed, cancellationToken))?.Profile : null,
        });
    }

    [Function("GroupAnswer")]
    public Task<Results<Ok<GroupAnswerRecorded>, SeeOther, ValidationProblem, ProblemHttpResult, LinkProblemResult>> AnswerAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = GroupRoutes.GroupAnswer)] HttpRequest request, string id, CancellationToken cancellationToken) =>
        pages.AnswerAsync(request, GroupPageLink, id, ReadAnswer,
            async (seen, answer, ct) => await answers.AnswerAsync(id, seen.Viewer.Id, answer.Answer, answer.MemberOnly, ct) is { } outcome
                ? new GroupAnswerRecorded(outcome.Answer, outcome.Group.Group.State, outcome.Group.Group.ConvenerId == seen.Viewer.Id)
                : null,
            cancellationToken);

    /// <summary>An answer's address opened again from history: the group's page.</summary>
    [Function("GroupAnswerReopened")]
    public SeeOther AnswerReopened(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = GroupRoutes.GroupAnswer)] HttpRequest request, string id) =>
        LinkedPages.Reopened(request, GroupPageLink, id);

    /// <summary>
    /// The leave button's page: what leaving means, and the button that does it (GET changes nothing). Someone no longer
    /// in the group, or an API client, is sent to the group's page.
    /// </summary>
    [Function("GroupLeaveConfirm")]
    public async Task<Results<RazorComponentResult<GroupLeavePage>, SeeOther, LinkProblemResult>> ConfirmLeaveAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = GroupRoutes.GroupLeave)] HttpRequest request, string id, CancellationToken cancellationToken)
    {
        var (found, problem) = await pages.OpenAsync(request, GroupPageLink, id, cancellationToken);
        if (found is not var (group, viewer))
        {
            return new LinkProblemResult(GroupLinks.GroupLink, problem);
        }
        if (!Pages.PrefersHtml(request) || !group.Seat(viewer.Id)!.IsYes || !group.Group.IsOpen)
        {
            return LinkedPages.Reopened(request, GroupPageLink, id);
        }
        return Pages.Render<GroupLeavePage>(new
        {
            Formed = group.Group.State == GroupStates.Formed,
            YouConvene = group.Group.ConvenerId == viewer.Id,
            SeekingAGroup = viewer.Profile.Seeking.Contains(GroupFormation.SeeksPeerGroup),
            LeavePath = Routes.WithToken(GroupRoutes.GroupLeave, request.LinkToken(), id),
            GroupPath = Routes.WithToken(GroupRoutes.Group, request.LinkToken(), id),
        });
    }

    /// <summary>Leaves the group: only with <c>confirm=yes</c> (the confirmation page's button), since it cannot be undone.</summary>
    [Function("GroupLeave")]
    public Task<Results<Ok<GroupLeft>, SeeOther, ValidationProblem, ProblemHttpResult, LinkProblemResult>> LeaveAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = GroupRoutes.GroupLeave)] HttpRequest request, string id, CancellationToken cancellationToken) =>
        pages.AnswerAsync(request, GroupPageLink, id, ReadConfirmation,
            async (seen, _, ct) => await answers.LeaveAsync(id, seen.Viewer.Id, ct) is { } group
                ? new GroupLeft(GroupPage.NameOf(GroupPage.StatusOf(group.Group, group.Seat(seen.Viewer.Id)!)))
                : null,
            cancellationToken);

    [Function("GroupCheckIn")]
    public async Task<Results<RazorComponentResult<GroupCheckInPage>, Ok<GroupMet>, LinkProblemResult>> ShowCheckInAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = GroupRoutes.GroupCheckIn)] HttpRequest request, string id, CancellationToken cancellationToken)
    {
        var (found, problem) = await pages.OpenAsync(request, CheckInPageLink, id, cancellationToken);
        if (found is not var (group, viewer))
        {
            return new LinkProblemResult(GroupLinks.GroupLink, problem);
        }
        // Each check-in round asks afresh: an answer to an earlier round is not this one's.
        var seat = group.Seat(viewer.Id)!;
        var met = seat.Met is not null && Math.Max(1, seat.MetRound) >= Math.Max(1, group.Group.CheckInRound) ? seat.Met : null;
        return Pages.PrefersHtml(request)
            ? Pages.Render<GroupCheckInPage>(new { Met = met, AnswerPath = Routes.WithToken(GroupRoutes.GroupCheckIn, request.LinkToken(), id) })
            : TypedResults.Ok(new GroupMet(met));
    }

    [Function("GroupCheckInAnswer")]
    public Task<Results<Ok<GroupMet>, SeeOther, ValidationProblem, ProblemHttpResult, LinkProblemResult>> RecordMetAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = GroupRoutes.GroupCheckIn)] HttpRequest request, string id, CancellationToken cancellationToken) =>
        pages.AnswerAsync(request, CheckInPageLink, id, LinkedPages.YesOrNo,
            async (seen, met, ct) => new GroupMet(await life.RecordMetAsync(id, seen.Viewer.Id, met, ct)),
            cancellationToken);

    private static bool ReadConfirmation(IReadOnlyDictionary<string, string> fields, ValidationErrors errors)
    {
        if (fields.GetValueOrDefault("confirm") != "yes")
        {
            errors.Add("confirm", "Must be yes: leaving cannot be undone, so it is confirmed (GET this address shows what it means).");
        }
        return true;
    }

    /// <summary>Yes or no; "yes, but only as a member" is the <c>convene=no</c> button alone, a yes.</summary>
    private static (string Answer, bool MemberOnly) ReadAnswer(IReadOnlyDictionary<string, string> fields, ValidationErrors errors)
    {
        var convene = fields.GetValueOrDefault("convene");
        var answer = fields.ContainsKey("answer") || convene != "no" ? LinkedPages.YesOrNo(fields, errors) : "yes";
        if (convene is not (null or "no"))
        {
            errors.Add("convene", "May only be no (a member, not the convener).");
        }
        return (answer, convene == "no");
    }
}

public sealed record GroupMet(string? Met);
