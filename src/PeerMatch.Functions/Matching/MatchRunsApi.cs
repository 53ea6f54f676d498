using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using PeerMatch.Functions.Access;
using PeerMatch.Functions.Http;
using PeerMatch.Links;
using PeerMatch.Matching;
using PeerMatch.Validation;

namespace PeerMatch.Functions.Matching;

public sealed record MatchRunStarted(string RunId);

/// <summary>An organizer starts a matching run (a dry run previews it) and follows it; the organizer key is required.</summary>
[OrganizerOnly]
public sealed class MatchRunsApi(MatchRuns matchRuns, IMatchRunStore runs)
{
    [Function("MatchRuns")]
    public async Task<Results<Accepted<MatchRunStarted>, ValidationProblem, ProblemHttpResult>> StartRunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = MatchingRoutes.MatchRuns)] HttpRequest request, CancellationToken cancellationToken)
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
        return TypedResults.Accepted(Routes.Path(MatchingRoutes.MatchRun, runId), new MatchRunStarted(runId));
    }

    /// <summary>A run's progress; a dry run's preview a page at a time (<c>?page=</c>, from 0).</summary>
    [Function("MatchRunStatus")]
    public async Task<Results<JsonHttpResult<MatchRunStatus>, NotFound, ValidationProblem>> GetRunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = MatchingRoutes.MatchRun)] HttpRequest request, string runId, CancellationToken cancellationToken)
    {
        var page = 0;
        if (request.Query.TryGetValue("page", out var asked)
            && !(asked.Count == 1 && int.TryParse(asked[0], NumberStyles.None, CultureInfo.InvariantCulture, out page) && page < 1_000_000))
        {
            var errors = new ValidationErrors();
            errors.Add("page", "Must be a page number, from 0.");
            return Problems.Validation(errors);
        }
        return await runs.GetAsync(runId, page, cancellationToken) is { } status
            ? TypedResults.Json(status, MatchingJson.Default.MatchRunStatus)
            : TypedResults.NotFound();
    }
}
