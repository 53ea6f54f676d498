using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;

namespace PeerMatch.Functions.Hosting;

/// <summary>
/// The custom-handler side of the Functions host protocol: the readiness probe and
/// <c>POST /{FunctionName}</c> invocations for timer and queue functions.
/// </summary>
public static class CustomHandlerApi
{
    public const string InvocationIdHeader = "X-Azure-Functions-InvocationId";

    /// <summary>Set by the Functions host when it starts this executable as its custom handler.</summary>
    public const string PortSetting = "FUNCTIONS_CUSTOMHANDLER_PORT";

    public static bool UnderFunctionsHost(IConfiguration configuration) =>
        !string.IsNullOrEmpty(configuration[PortSetting]);

    public static IEndpointRouteBuilder MapCustomHandler(this IEndpointRouteBuilder routes, bool acceptInvocations)
    {
        // The host treats any answer here as "ready"; it must come fast, so nothing heavy happens before it.
        routes.MapGet("/", () => TypedResults.Text("""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>PeerMatch</title></head>
            <body><p>PeerMatch is running. <a href="/api/intake">Join as a practitioner</a>.</p></body></html>
            """, "text/html")).ExcludeFromDescription();

        if (acceptInvocations)
        {
            // Only mapped under the host, which calls on loopback; standalone runs its triggers in-process.
            routes.MapPost("/{functionName}", InvokeAsync).ExcludeFromDescription();
        }
        return routes;
    }

    private static async Task<Results<Ok<InvocationResult>, NotFound, BadRequest<string>, JsonHttpResult<InvocationResult>>> InvokeAsync(
        string functionName, HttpRequest request, FunctionInvoker invoker, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        // Host issue #6251: external calls can reach handler routes. Only the host's own calls carry an
        // invocation id, and only timer/queue functions answer here.
        if (!request.Headers.TryGetValue(InvocationIdHeader, out var invocationId) || !invoker.CanInvoke(functionName))
        {
            return TypedResults.NotFound();
        }

        InvocationRequest? payload;
        try
        {
            payload = await JsonSerializer.DeserializeAsync(request.Body, InvocationJson.Default.InvocationRequest, cancellationToken);
        }
        catch (JsonException)
        {
            return TypedResults.BadRequest("The invocation payload is not JSON.");
        }

        var log = loggers.CreateLogger("PeerMatch.Functions." + functionName);
        try
        {
            var result = await invoker.InvokeAsync(functionName, payload?.Data ?? default, payload?.Metadata ?? default, cancellationToken);
            return TypedResults.Ok(result);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogError(e, "{Function} failed (invocation {InvocationId})", functionName, invocationId.ToString());
            // A non-2xx answer fails the invocation, so the host retries a queue message.
            var failed = new InvocationResult { Logs = [$"{functionName} failed: {e.Message}"], ReturnValue = JsonValue.Create(false) };
            return TypedResults.Json(failed, InvocationJson.Default.InvocationResult, statusCode: StatusCodes.Status500InternalServerError);
        }
    }
}
