using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using PeerMatch.Functions.Access;
using PeerMatch.Functions.Hosting;
using PeerMatch.Functions.Http;
using PeerMatch.Links;
using PeerMatch.Matching.Groups;
using PeerMatch.Places;
using PeerMatch.Practitioners;
using PeerMatch.Validation;

namespace PeerMatch.Functions.Groups;

/// <summary>A preview of group formation: the groups it would propose now, and each seeker it would leave out, with why.</summary>
public sealed record GroupProposals(IReadOnlyList<GroupProposal> Groups, IReadOnlyList<UnplacedSeeker> Unplaced);

/// <summary>A group just formed by an organizer: its members are being invited.</summary>
public sealed record FormedGroup(string GroupId, string State, GroupMember? Convener, IReadOnlyList<GroupMember> Members);

public sealed record GroupsFormed(IReadOnlyList<FormedGroup> Groups, IReadOnlyList<UnplacedSeeker> Unplaced);

/// <summary>Someone invited into a group, as the organizer sees them: their answer and where they stand.</summary>
public sealed record GroupSeatView(string Id, string Name, string? Answer, bool Expired, bool MemberOnly, bool Joined, bool Left, string? Met);

public sealed record GroupStateView(
    string GroupId, string State, string Model, string Language, string Meeting, string Origin, DateTimeOffset CreatedAt, DateTimeOffset? FormedAt,
    DateTimeOffset? ClosedAt, GroupSeatView? Convener, IReadOnlyList<GroupSeatView> Members, IReadOnlyList<string> Reasons,
    GroupSeatView? ConvenerAsked = null, string? Health = null);

/// <summary>Every group, newest first, and how many stand in each state (<see cref="GroupHealth"/>).</summary>
public sealed record GroupList(IReadOnlyList<GroupStateView> Groups, IReadOnlyDictionary<string, int>? Counts = null);

/// <summary>
/// Organizer routes of peer groups, behind the key: a preview (<c>POST …/groups/proposals</c>, nothing stored or sent),
/// forming now (<c>POST …/groups</c>: stored, members invited), and every group with its answers (<c>GET …/groups</c>).
/// </summary>
[OrganizerOnly]
public sealed class GroupsOrganizerApi(PeerGroups groups, GroupForming forming, IPractitionerRepository practitioners, TimeProvider clock)
{
    [Function("GroupProposals")]
    public async Task<Results<Ok<GroupProposals>, ValidationProblem, ProblemHttpResult>> ProposeAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = GroupRoutes.GroupProposals)] HttpRequest request, CancellationToken cancellationToken)
    {
        var (filter, unreadable, invalid) = await ReadFilterAsync(request, cancellationToken);
        if (unreadable is not null || invalid is not null)
        {
            return unreadable is not null ? unreadable : invalid!;
        }
        var plan = await forming.ProposeAsync(filter.Region, filter.Model, filter.Size, cancellationToken);
        return TypedResults.Ok(new GroupProposals(plan.Groups, plan.Unplaced));
    }

    [Function("FormGroups")]
    public async Task<Results<Accepted<GroupsFormed>, ValidationProblem, ProblemHttpResult>> FormAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = GroupRoutes.OrganizerGroups)] HttpRequest request, CancellationToken cancellationToken)
    {
        var (filter, unreadable, invalid) = await ReadFilterAsync(request, cancellationToken);
        if (unreadable is not null || invalid is not null)
        {
            return unreadable is not null ? unreadable : invalid!;
        }
        var outcome = await forming.FormAsync(filter.Region, filter.Model, filter.Size, "organizer", cancellationToken);
        if (outcome.Busy)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Groups are being formed right now.",
                detail: "Another formation (the weekly run's, or another organizer's) holds the lease; try again in a minute.");
        }
        var formed = new List<FormedGroup>();
        foreach (var group in outcome.Groups)
        {
            var view = await GroupView.LoadAsync(group, practitioners, cancellationToken);
            formed.Add(new FormedGroup(group.Group.Id, group.Group.State, view.Convener is { } c ? Card(c) : null, view.People.Select(Card).ToList()));
        }
        return TypedResults.Accepted(Routes.Path(GroupRoutes.OrganizerGroups), new GroupsFormed(formed, outcome.Unplaced));
    }

    [Function("OrganizerGroups")]
    public async Task<Ok<GroupList>> ListAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = GroupRoutes.OrganizerGroups)] HttpRequest request, CancellationToken cancellationToken)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (var practitioner in practitioners.ListAllAsync(cancellationToken))
        {
            names[practitioner.Id] = practitioner.Profile.Name;
        }
        var list = new List<GroupStateView>();
        await foreach (var group in groups.AllAsync(cancellationToken))
        {
            var seats = group.Seats.Where(s => names.ContainsKey(s.PractitionerId))
                .Select(s => new GroupSeatView(s.PractitionerId, names[s.PractitionerId], s.Answer, s.Expired, s.DeclinedConvening, s.IsMember, s.LeftAt is not null, s.Met))
                .ToList();
            var g = group.Group;
            list.Add(new GroupStateView(g.Id, g.State, g.Model, g.Language, g.Meeting, g.Origin, g.CreatedAt, g.FormedAt, g.ClosedAt,
                seats.FirstOrDefault(s => s.Id == g.ConvenerId), seats, g.Reasons, seats.FirstOrDefault(s => s.Id == g.ConvenerAsked),
                GroupHealth.Of(group, clock.GetUtcNow())));
        }
        var counts = GroupHealth.All.ToDictionary(state => state, state => list.Count(g => g.Health == state), StringComparer.Ordinal);
        return TypedResults.Ok(new GroupList(list.OrderByDescending(g => g.CreatedAt).ToList(), counts));
    }

    private static GroupMember Card(GroupPerson person) => new(person.Id, person.Profile.Name, person.Profile.YearsExperience, person.Place);

    private sealed record Filter(string? Region, string? Model, int Size);

    /// <summary>The body both formation routes take: <c>{"region"?,"model"?,"size"?}</c>.</summary>
    private static async Task<(Filter Filter, ProblemHttpResult? Unreadable, ValidationProblem? Invalid)> ReadFilterAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var none = new Filter(null, null, GroupFormation.DefaultSize);
        var (body, problem) = await RequestBodies.ReadJsonObjectAsync(request, ["region", "model", "size"], cancellationToken);
        if (problem is not null)
        {
            return (none, problem, null);
        }
        var errors = new ValidationErrors();
        var region = JsonFields.Text(body, "region", errors)?.ToUpperInvariant();
        if (region is not null && !(region.Length == 2 ? PlaceNames.IsCountry(region) : region.Length > 3 && PlaceNames.IsSubdivisionOf(region, region[..2])))
        {
            errors.Add("region", "Must be an ISO 3166-1 country code (US) or ISO 3166-2 subdivision code (US-CA).");
        }
        var model = JsonFields.Text(body, "model", errors);
        if (model is not null && !ReferenceData.Models.Contains(model))
        {
            errors.Add("model", $"Must be one of: {string.Join(", ", ReferenceData.Models)}.");
        }
        var size = GroupFormation.DefaultSize;
        if (body.TryGetProperty("size", out var sizeValue) && sizeValue.ValueKind != JsonValueKind.Null)
        {
            if (sizeValue.ValueKind != JsonValueKind.Number || !sizeValue.TryGetInt32(out size) || size is < GroupFormation.MinimumSize or > GroupFormation.MaximumSize)
            {
                errors.Add("size", $"Must be a whole number from {GroupFormation.MinimumSize} to {GroupFormation.MaximumSize}.");
            }
        }
        return errors.IsEmpty ? (new Filter(region, model, size), null, null) : (none, null, Problems.Validation(errors));
    }
}
