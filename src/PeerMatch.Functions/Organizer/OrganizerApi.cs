using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using PeerMatch.Functions.Hosting;
using PeerMatch.Functions.Http;
using PeerMatch.Functions.Matching;
using PeerMatch.Intake;
using PeerMatch.Places;
using PeerMatch.Matching;

using PeerMatch.Links;

namespace PeerMatch.Functions.Organizer;

public sealed record MatchRunStarted(string RunId);

/// <summary>A preview of group formation: the groups it would propose now, and each seeker it would leave out, with why.</summary>
public sealed record GroupProposals(IReadOnlyList<GroupProposal> Groups, IReadOnlyList<UnplacedSeeker> Unplaced);

/// <summary>Organizer routes: the gate lets none run without the organizer key (<c>x-functions-key</c> or <c>?code=</c>).</summary>
[OrganizerOnly]
public sealed class OrganizerApi(MatchRuns matchRuns, IMatchRunStore runs, IPractitionerRepository practitioners, ISuppressionList suppressions, IRankerStore rankers, TimeProvider clock)
{
    [Function("MatchRuns")]
    public async Task<Results<Accepted<MatchRunStarted>, ValidationProblem, ProblemHttpResult>> StartRunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Routes.MatchRuns)] HttpRequest request, CancellationToken cancellationToken)
    {
        var (body, problem) = await RequestBodies.ReadJsonObjectAsync(request, ["dryRun", "force"], cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        var errors = new ValidationErrors();
        var dryRun = JsonFields.Flag(body, "dryRun", errors);
        var force = JsonFields.Flag(body, "force", errors);
        if (!errors.IsEmpty)
        {
            return Problems.Validation(errors);
        }
        var runId = await matchRuns.StartAsync(dryRun, force, cancellationToken);
        return TypedResults.Accepted(Routes.Path(Routes.MatchRun, runId), new MatchRunStarted(runId));
    }

    [Function("MatchRunStatus")]
    public async Task<Results<JsonHttpResult<MatchRunStatus>, NotFound>> GetRunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.MatchRun)] HttpRequest request, string runId, CancellationToken cancellationToken) =>
        await runs.GetAsync(runId, cancellationToken) is { } status
            ? TypedResults.Json(status, MatchingJson.Default.MatchRunStatus)
            : TypedResults.NotFound();

    [Function("GroupProposals")]
    public async Task<Results<Ok<GroupProposals>, ValidationProblem, ProblemHttpResult>> ProposeGroupsAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Routes.GroupProposals)] HttpRequest request, CancellationToken cancellationToken)
    {
        var (body, problem) = await RequestBodies.ReadJsonObjectAsync(request, ["region", "model", "size"], cancellationToken);
        if (problem is not null)
        {
            return problem;
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
        if (!errors.IsEmpty)
        {
            return Problems.Validation(errors);
        }

        var population = await Population.LoadAsync(practitioners, suppressions, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), cancellationToken);
        var inRegion = population.Eligible.Where(c => GroupFormation.InRegion(c.Profile.Region, region)).ToList();
        // Nobody is in a group yet: groups are proposed, not formed (forming them is for a later change).
        var plan = new GroupFormation(await rankers.CurrentAsync(cancellationToken), size).Form(inRegion, new HashSet<string>(), clock.GetUtcNow(), model);
        return TypedResults.Ok(new GroupProposals(plan.Groups, plan.Unplaced));
    }
}
