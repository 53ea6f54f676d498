using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using PeerMatch.Functions.Access;
using PeerMatch.Matching.Organizer;

namespace PeerMatch.Functions.Organizer;

/// <summary>Who is not yet served: the organizer's coverage report; the organizer key is required.</summary>
[OrganizerOnly]
public sealed class CoverageApi(Coverage coverage, IOptions<OrganizerOptions> options)
{
    /// <summary>
    /// Confirmed practitioners never suggested, never introduced, and seeking a group but in none, by country and model:
    /// counted now when that fits in <see cref="OrganizerOptions.CoverageCountWithin"/>, else the last count (stale) while
    /// the worker counts again, or a 503 when nothing was counted yet.
    /// </summary>
    [Function("Coverage")]
    public async Task<Results<JsonHttpResult<CoverageReport>, ProblemHttpResult>> GetCoverageAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = OrganizerRoutes.Coverage)] HttpRequest request, CancellationToken cancellationToken)
    {
        if (await coverage.CurrentAsync(options.Value.CoverageCountWithin, cancellationToken) is { } report)
        {
            return TypedResults.Json(report, OrganizerJson.Default.CoverageReport);
        }
        request.HttpContext.Response.Headers.RetryAfter = "60";
        return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Coverage is being counted.",
            detail: "There are too many practitioners to count at once; the count goes on. Ask again in a minute.");
    }
}
