using Microsoft.AspNetCore.Http.HttpResults;
using PeerMatch.Functions.Storage;

namespace PeerMatch.Functions.Health;

public sealed record HealthStatus(string Status);

/// <summary><c>GET /api/health</c>: 200 when storage answers, 503 otherwise.</summary>
public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/health", CheckAsync).WithTags("Health");
        return routes;
    }

    private static async Task<Results<Ok<HealthStatus>, JsonHttpResult<HealthStatus>>> CheckAsync(
        StorageAccount storage, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
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
            loggers.CreateLogger("PeerMatch.Health").LogWarning(e, "Health check: storage did not answer");
            return TypedResults.Json(new HealthStatus("unavailable"), statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
