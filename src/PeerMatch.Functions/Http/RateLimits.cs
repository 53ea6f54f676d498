using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using PeerMatch.Functions.Hosting;
using PeerMatch.Functions.Settings;

namespace PeerMatch.Functions.Http;

/// <summary>
/// Sign-ups send e-mail to whatever address is typed in: each client may post only so many per
/// minute (<c>PeerMatch__IntakePerMinute</c>), and beyond that gets a 429 problem.
/// </summary>
public static class RateLimits
{
    public const string Intake = "intake";

    public static IServiceCollection AddPeerMatchRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var behindHost = CustomHandlerApi.UnderFunctionsHost(configuration);
        return services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "60";
                await TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many sign-ups from here.",
                    detail: "Nothing was saved. Please wait a minute and send the form again.").ExecuteAsync(context.HttpContext);
            };
            limiter.AddPolicy(Intake, context =>
            {
                var perMinute = context.RequestServices.GetRequiredService<IOptions<PeerMatchOptions>>().Value.IntakePerMinute;
                return RateLimitPartition.GetFixedWindowLimiter(ClientKey(context, behindHost),
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
            });
        });
    }

    // Behind the Functions host every request comes from loopback; the platform's front end names the
    // client in X-Forwarded-For. Standalone, that header could be anything, so the connection decides.
    private static string ClientKey(HttpContext context, bool behindHost) =>
        behindHost && context.Request.Headers["X-Forwarded-For"].FirstOrDefault() is { Length: > 0 } forwarded
            ? forwarded.Split(',')[0].Trim()
            : context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
