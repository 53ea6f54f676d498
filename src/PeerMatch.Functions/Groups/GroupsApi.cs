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
    IReadOnlyList<DateTimeOffset>? MeetingTimes);

public sealed record GroupAnswerRecorded(string? Answer, string State, bool YouConvene);

public sealed record GroupLeft(string YourStatus);

/// <summary>
/// A member's links about a group: <c>GET /api/groups/{id}</c> shows it (mail scanners follow links: GET records
/// nothing), <c>POST …/answer</c> records yes or no (or a convener's <c>convene=no</c>), <c>POST …/leave</c> leaves it,
/// and <c>GET</c>/<c>POST …/met</c> is the six-week check-in. A browser's POST is redirected to the page, which shows the outcome.
/// </summary>
public sealed class GroupsApi(LinkSigner links, PeerGroups groups, GroupAnswers answers, IPractitionerRepository practitioners, GroupContent content, TimeProvider clock)
{
    [Function("Group")]
    public async Task<Results<RazorComponentResult<GroupPage>, Ok<GroupPageView>, LinkProblemResult>> ShowAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = GroupRoutes.Group)] HttpRequest request, string id, CancellationToken cancellationToken)
    {
        var (found, problem) = await OpenAsync(request, id, GroupLinks.Group, cancellationToken);
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
                group.Group.Reasons, content.GroundRules, content.Outline,
                member ? view.Members.Select(p => new GroupContact(p.Profile.Name, p.Profile.Email, p.Convenes)).ToList() : null,
                member ? times.Select(t => t.Start).ToList() : null));
        }
        return Pages.Render<GroupPage>(new
        {
            View = view,
            Seat = seat,
            Times = times.Select(t => t.Local).ToList(),
            GroundRules = content.GroundRules,
            Outline = content.Outline,
            AnswerPath = Routes.WithToken(GroupRoutes.GroupAnswer, request.LinkToken(), id),
            LeavePath = Routes.WithToken(GroupRoutes.GroupLeave, request.LinkToken(), id),
        });
    }

    [Function("GroupAnswer")]
    public async Task<Results<Ok<GroupAnswerRecorded>, SeeOther, ValidationProblem, ProblemHttpResult, LinkProblemResult>> AnswerAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = GroupRoutes.GroupAnswer)] HttpRequest request, string id, CancellationToken cancellationToken)
    {
        var page = Routes.WithToken(GroupRoutes.Group, request.LinkToken(), id);
        var (found, problem) = await OpenAsync(request, id, GroupLinks.Group, cancellationToken);
        if (found is not var (_, viewer))
        {
            return Pages.PrefersHtml(request) ? Pages.SeeOther(page) : new LinkProblemResult(GroupLinks.GroupLink, problem);
        }
        var (fields, unreadable) = await ReadFieldsAsync(request, cancellationToken);
        if (unreadable is not null)
        {
            return unreadable;
        }
        var convene = fields.GetValueOrDefault("convene");
        // "Yes, but only as a member" is the convene=no button alone: a yes.
        var answer = fields.GetValueOrDefault("answer") ?? (convene == "no" ? "yes" : null);
        var errors = new ValidationErrors();
        if (!SuggestionAnswers.IsYesOrNo(answer))
        {
            errors.Add("answer", "Must be yes or no.");
        }
        if (convene is not (null or "no"))
        {
            errors.Add("convene", "May only be no (a member, not the convener).");
        }
        if (!errors.IsEmpty)
        {
            return Problems.Validation(errors);
        }
        if (await answers.AnswerAsync(id, viewer.Id, answer!, memberOnly: convene == "no", cancellationToken) is not { } outcome)
        {
            return Pages.PrefersHtml(request) ? Pages.SeeOther(page) : new LinkProblemResult(GroupLinks.GroupLink, LinkProblem.Gone);
        }
        return Pages.PrefersHtml(request)
            ? Pages.SeeOther(page)
            : TypedResults.Ok(new GroupAnswerRecorded(outcome.Answer, outcome.Group.Group.State, outcome.Group.Group.ConvenerId == viewer.Id));
    }

    /// <summary>An answer's address opened again from history: the group's page.</summary>
    [Function("GroupAnswerReopened")]
    public static SeeOther AnswerReopened(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = GroupRoutes.GroupAnswer)] HttpRequest request, string id) =>
        Pages.SeeOther(Routes.WithToken(GroupRoutes.Group, request.LinkToken(), id));

    /// <summary>A leave's address opened again from history: the group's page.</summary>
    [Function("GroupLeaveReopened")]
    public static SeeOther LeaveReopened(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = GroupRoutes.GroupLeave)] HttpRequest request, string id) =>
        Pages.SeeOther(Routes.WithToken(GroupRoutes.Group, request.LinkToken(), id));

    [Function("GroupLeave")]
    public async Task<Results<Ok<GroupLeft>, SeeOther, LinkProblemResult>> LeaveAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = GroupRoutes.GroupLeave)] HttpRequest request, string id, CancellationToken cancellationToken)
    {
        var page = Routes.WithToken(GroupRoutes.Group, request.LinkToken(), id);
        var (found, problem) = await OpenAsync(request, id, GroupLinks.Group, cancellationToken);
        if (found is not var (_, viewer) || await answers.LeaveAsync(id, viewer.Id, cancellationToken) is not { } group)
        {
            return Pages.PrefersHtml(request) ? Pages.SeeOther(page) : new LinkProblemResult(GroupLinks.GroupLink, found is null ? problem : LinkProblem.Gone);
        }
        return Pages.PrefersHtml(request)
            ? Pages.SeeOther(page)
            : TypedResults.Ok(new GroupLeft(GroupPage.NameOf(GroupPage.StatusOf(group.Group, group.Seat(viewer.Id)!))));
    }

    [Function("GroupCheckIn")]
    public async Task<Results<RazorComponentResult<GroupCheckInPage>, Ok<GroupMet>, LinkProblemResult>> ShowCheckInAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = GroupRoutes.GroupCheckIn)] HttpRequest request, string id, CancellationToken cancellationToken)
    {
        var (found, problem) = await OpenAsync(request, id, GroupLinks.CheckIn, cancellationToken);
        if (found is not var (group, viewer))
        {
            return new LinkProblemResult(GroupLinks.GroupLink, problem);
        }
        var met = group.Seat(viewer.Id)!.Met;
        return Pages.PrefersHtml(request)
            ? Pages.Render<GroupCheckInPage>(new { Met = met, AnswerPath = Routes.WithToken(GroupRoutes.GroupCheckIn, request.LinkToken(), id) })
            : TypedResults.Ok(new GroupMet(met));
    }

    [Function("GroupCheckInAnswer")]
    public async Task<Results<Ok<GroupMet>, SeeOther, ValidationProblem, ProblemHttpResult, LinkProblemResult>> RecordMetAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = GroupRoutes.GroupCheckIn)] HttpRequest request, string id, CancellationToken cancellationToken)
    {
        var page = Routes.WithToken(GroupRoutes.GroupCheckIn, request.LinkToken(), id);
        var (found, problem) = await OpenAsync(request, id, GroupLinks.CheckIn, cancellationToken);
        if (found is not var (_, viewer))
        {
            return Pages.PrefersHtml(request) ? Pages.SeeOther(page) : new LinkProblemResult(GroupLinks.GroupLink, problem);
        }
        var (fields, unreadable) = await ReadFieldsAsync(request, cancellationToken);
        if (unreadable is not null)
        {
            return unreadable;
        }
        var answer = fields.GetValueOrDefault("answer");
        if (!SuggestionAnswers.IsYesOrNo(answer))
        {
            return Problems.NotYesOrNo();
        }
        var met = await answers.RecordMetAsync(id, viewer.Id, answer!, cancellationToken);
        return Pages.PrefersHtml(request) ? Pages.SeeOther(page) : TypedResults.Ok(new GroupMet(met));
    }

    /// <summary>The group a link's token opens, with the person it was issued to; or what is wrong with the link.</summary>
    private async Task<((GroupWithSeats Group, Practitioner Viewer)? Found, LinkProblem Problem)> OpenAsync(
        HttpRequest request, string id, TokenPurpose purpose, CancellationToken cancellationToken)
    {
        var (state, practitionerId) = await links.CheckScopedAsync(request.LinkToken(), purpose, id, cancellationToken);
        if (state != TokenState.Valid)
        {
            return (null, LinkProblems.From(state));
        }
        var group = await groups.GetAsync(id, cancellationToken);
        var viewer = group?.Seat(practitionerId) is null ? null : await practitioners.GetAsync(practitionerId, cancellationToken);
        return viewer is null ? (null, LinkProblem.Gone) : ((group!, viewer), default);
    }

    /// <summary>The buttons post a form; scripts may post JSON or use the query (<c>?answer=yes</c>). A body that cannot be read is a problem.</summary>
    private static async Task<(IReadOnlyDictionary<string, string> Fields, ProblemHttpResult? Unreadable)> ReadFieldsAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var body = await RequestBodies.ReadFieldsAsync(request, cancellationToken);
        var fields = new Dictionary<string, string>(body.Values, StringComparer.Ordinal);
        foreach (var name in new[] { "answer", "convene" })
        {
            if (request.Query.TryGetValue(name, out var value))
            {
                fields[name] = value.ToString();
            }
        }
        return (fields, body.Problem);
    }
}

public sealed record GroupMet(string? Met);
