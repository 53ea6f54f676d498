using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using PeerMatch.Functions.Storage;

using PeerMatch.Links;

namespace PeerMatch.Functions.Health;

public sealed record HealthStatus(string Status);

/// <summary><c>GET /api/health</c>: 200 when storage answers, 503 otherwise.</summary>
public sealed class HealthApi(StorageAccount storage, ILogger<HealthApi> log)
{
    public const string Health = "health";

    [Function("Health")]
    public async Task<Results<Ok<HealthStatus>, JsonHttpResult<HealthStatus>>> CheckAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = HealthApi.Health)] HttpRequest request, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(3));
        try
        {
            await foreach (var _ in storage.Tables.QueryAsync(maxPerPage: 1, cancellationToken: timeout.Token).AsPages(pageSizeHint: 1))
            {
                break;
            }
            return TypedResults.Ok(new HealthStatus("ok"));
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            log.LogWarning(e, "Health check: storage did not answer");
            request.HttpContext.Response.Headers.RetryAfter = "30";
            return TypedResults.Json(new HealthStatus("unavailable"), statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
