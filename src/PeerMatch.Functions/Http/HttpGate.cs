using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using PeerMatch.Functions.Hosting;
using PeerMatch.Functions.Settings;

namespace PeerMatch.Functions.Http;

/// <summary>
/// What stands around every HTTP function, under the Functions host and standalone alike: security
/// headers, the organizer key, the sign-up limit per client, and a problem (never a bare 500) when a
/// function fails.
/// </summary>
public sealed class HttpGate(IOptions<PeerMatchOptions> options, ILogger<HttpGate> log) : IDisposable
{
    // Sign-ups send e-mail to whatever address is typed in: each client may post only so many a minute.
    private readonly PartitionedRateLimiter<string> _signUps = PartitionedRateLimiter.Create<string, string>(client =>
        RateLimitPartition.GetFixedWindowLimiter(client, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.Value.IntakePerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0,
        }));

    /// <summary>Runs <paramref name="function"/> through the gate; the answer is what the client gets (a page, for a browser).</summary>
    public async Task<IResult> RunAsync(HttpContext http, FunctionDescriptor function, Func<Task<IResult?>> invoke)
    {
        ApplySecurityHeaders(http.Response);
        if (function.OrganizerOnly && !HasOrganizerKey(http.Request))
        {
            return new NegotiatedProblem(Problems.OrganizerKeyRequired());
        }
        if (function.SignUpLimited)
        {
            // Under the Functions host the worker has already put the forwarded client address here.
            using var lease = _signUps.AttemptAcquire(http.Connection.RemoteIpAddress?.ToString() ?? "unknown");
            if (!lease.IsAcquired)
            {
                http.Response.Headers.RetryAfter = "60";
                return new NegotiatedProblem(Problems.TooManySignUps());
            }
        }
        try
        {
            return await invoke() ?? TypedResults.NoContent();
        }
        catch (Exception e) when (!http.RequestAborted.IsCancellationRequested)
        {
            log.LogError(e, "{Function} failed", function.Name);
            return new NegotiatedProblem(Problems.Unexpected());
        }
    }

    public void Dispose() => _signUps.Dispose();

    /// <summary>
    /// Links carry tokens in their query string: no Referer may leak them to another site, and pages
    /// are never framed, sniffed or cached.
    /// </summary>
    public static void ApplySecurityHeaders(HttpResponse response)
    {
        var headers = response.Headers;
        headers["Referrer-Policy"] = "no-referrer";
        headers["X-Content-Type-Options"] = "nosniff";
        headers["X-Frame-Options"] = "DENY";
        headers.CacheControl = "no-store";
    }

    private bool HasOrganizerKey(HttpRequest request)
    {
        var given = request.Headers["x-functions-key"].FirstOrDefault() ?? request.Query["code"].FirstOrDefault() ?? "";
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(options.Value.OrganizerKey));
    }
}
