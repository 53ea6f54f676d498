using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using PeerMatch.Functions.Hosting;
using PeerMatch.Functions.Http;
using PeerMatch.Functions.Matching;
using PeerMatch.Functions.Settings;
using PeerMatch.Matching;

using PeerMatch.Links;
using PeerMatch.Matching.Organizer;
using PeerMatch.Validation;

namespace PeerMatch.Functions.Organizer;

public sealed record MatchRunStarted(string RunId);

/// <summary>Organizer routes: the gate lets none run without the organizer key (<c>x-functions-key</c> or <c>?code=</c>).</summary>
[OrganizerOnly]
public sealed class OrganizerApi(MatchRuns matchRuns, IMatchRunStore runs, Coverage coverage, IOptions<PeerMatchOptions> options)
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

    /// <summary>A run's progress; a dry run's preview a page at a time (<c>?page=</c>, from 0).</summary>
    [Function("MatchRunStatus")]
    public async Task<Results<JsonHttpResult<MatchRunStatus>, NotFound, ValidationProblem>> GetRunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.MatchRun)] HttpRequest request, string runId, CancellationToken cancellationToken)
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

    /// <summary>
    /// Confirmed practitioners never suggested, never introduced, and seeking a group but in none, by country and model:
    /// counted now when that fits in <see cref="PeerMatchOptions.CoverageCountWithin"/>, else the last count (stale) while
    /// the worker counts again, or a 503 when nothing was counted yet.
    /// </summary>
    [Function("Coverage")]
    public async Task<Results<JsonHttpResult<CoverageReport>, ProblemHttpResult>> GetCoverageAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.Coverage)] HttpRequest request, CancellationToken cancellationToken)
    {
        if (await coverage.CurrentAsync(options.Value.CoverageCountWithin, cancellationToken) is { } report)
        {
            return TypedResults.Json(report, MatchingJson.Default.CoverageReport);
        }
        request.HttpContext.Response.Headers.RetryAfter = "60";
        return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Coverage is being counted.",
            detail: "There are too many practitioners to count at once; the count goes on. Ask again in a minute.");
    }
}
