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
    /// <summary>
    /// A person waits at most this long: past it (storage unreachable, say) the answer is a 503 to try again. A function
    /// may set its own (<see cref="AnswerWithinAttribute"/>).
    /// </summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(4);

    // Sign-ups send e-mail to whatever address is typed in: each client may post only so many a minute.
    private readonly PartitionedRateLimiter<string> _signUps = PartitionedRateLimiter.Create<string, string>(client =>
        RateLimitPartition.GetFixedWindowLimiter(client, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.Value.IntakePerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0,
        }));

    // Organizer keys are guessed one request at a time: each client may send only so many wrong ones in 10 minutes.
    private static readonly TimeSpan WrongKeyWindow = TimeSpan.FromMinutes(10);

    private readonly PartitionedRateLimiter<string> _wrongKeys = PartitionedRateLimiter.Create<string, string>(client =>
        RateLimitPartition.GetFixedWindowLimiter(client, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.Value.WrongOrganizerKeysPer10Minutes, Window = WrongKeyWindow, QueueLimit = 0,
        }));

    /// <summary>Runs <paramref name="function"/> through the gate; the answer is what the client gets (a page, for a browser).</summary>
    public async Task<IResult> RunAsync(HttpContext http, FunctionDescriptor function, Func<Task<IResult?>> invoke)
    {
        ApplySecurityHeaders(http.Response);
        // Standalone, the connection's address. Under the Functions host, the worker's forwarded-headers step has put
        // here the last X-Forwarded-For hop (the address the platform's front end saw), trusting only the host on
        // loopback: whatever a client writes further left is never the key.
        var client = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (function.OrganizerOnly && OrganizerRefusal(http, client, function) is { } refused)
        {
            return refused;
        }
        if (function.SignUpLimited)
        {
            using var lease = _signUps.AttemptAcquire(client);
            if (!lease.IsAcquired)
            {
                http.Response.Headers.RetryAfter = "60";
                return new NegotiatedProblem(Problems.TooManySignUps());
            }
        }
        var work = invoke();
        if (await Task.WhenAny(work, Task.Delay(function.Deadline, http.RequestAborted)) != work && !http.RequestAborted.IsCancellationRequested)
        {
            // Left to finish or fail on its own; its failure is logged, not thrown at nobody.
            _ = work.ContinueWith(t => log.LogWarning(t.Exception, "{Function} failed after its answer was given", function.Name),
                CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            log.LogWarning("{Function} took longer than {Deadline}: answered 503", function.Name, function.Deadline);
            // The work goes on and may still succeed: the answer must not say nothing was done.
            http.Response.Headers.RetryAfter = "30";
            return new NegotiatedProblem(Problems.StillWorking());
        }
        try
        {
            return await work ?? TypedResults.NoContent();
        }
        catch (Exception e) when (!http.RequestAborted.IsCancellationRequested && IsStorageOutage(e))
        {
            log.LogWarning(e, "{Function}: storage did not answer", function.Name);
            return Unavailable(http);
        }
        catch (Exception e) when (!http.RequestAborted.IsCancellationRequested)
        {
            log.LogError(e, "{Function} failed", function.Name);
            return new NegotiatedProblem(Problems.Unexpected());
        }
    }

    private static NegotiatedProblem Unavailable(HttpContext http)
    {
        http.Response.Headers.RetryAfter = "30";
        return new NegotiatedProblem(Problems.Unavailable());
    }

    /// <summary>Storage down or unreachable (after the clients' own quick retries), as opposed to a fault in the code.</summary>
    private static bool IsStorageOutage(Exception e) => e switch
    {
        Azure.RequestFailedException { Status: 0 or >= 500 } => true,
        HttpRequestException or TimeoutException or TaskCanceledException or System.Net.Sockets.SocketException => true,
        AggregateException aggregate => aggregate.InnerExceptions.All(IsStorageOutage),
        _ => e.InnerException is { } inner && IsStorageOutage(inner),
    };

    public void Dispose()
    {
        _signUps.Dispose();
        _wrongKeys.Dispose();
    }

    /// <summary>
    /// Why an organizer request is refused, if it is: a client that has used up its wrong keys is refused whatever key
    /// it sends now (a right one would otherwise tell a guesser it had found it), with the wait in Retry-After; a wrong
    /// key is logged, never the key itself.
    /// </summary>
    private NegotiatedProblem? OrganizerRefusal(HttpContext http, string client, FunctionDescriptor function)
    {
        if (_wrongKeys.GetStatistics(client)?.CurrentAvailablePermits == 0)
        {
            return TooManyWrongKeys(http);
        }
        var given = GivenKey(http.Request);
        if (IsOrganizerKey(given))
        {
            return null;
        }
        if (given.Length == 0)
        {
            return new NegotiatedProblem(Problems.OrganizerKeyRequired());
        }
        using var attempt = _wrongKeys.AttemptAcquire(client);
        if (!attempt.IsAcquired)
        {
            return TooManyWrongKeys(http);
        }
        var left = _wrongKeys.GetStatistics(client)?.CurrentAvailablePermits ?? 0;
        log.LogWarning("Wrong organizer key from {Client} on {Function} ({Left} more allowed in this window)", client, function.Name, left);
        if (left == 0)
        {
            log.LogWarning("{Client} has sent {Limit} wrong organizer keys: its organizer requests are refused for up to {Window}", client, options.Value.WrongOrganizerKeysPer10Minutes, WrongKeyWindow);
        }
        return new NegotiatedProblem(Problems.OrganizerKeyRequired());
    }

    private static NegotiatedProblem TooManyWrongKeys(HttpContext http)
    {
        http.Response.Headers.RetryAfter = ((int)WrongKeyWindow.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new NegotiatedProblem(Problems.TooManyWrongKeys(WrongKeyWindow));
    }

    /// <summary>
    /// Links carry tokens in their query string: no Referer may leak them to another site, and pages are
    /// never framed, sniffed or cached. Pages run no inline code and load nothing from elsewhere; forms
    /// post only here. Set before the function runs, so error answers carry them too.
    /// </summary>
    public static void ApplySecurityHeaders(HttpResponse response)
    {
        var headers = response.Headers;
        headers.ContentSecurityPolicy =
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
        headers.StrictTransportSecurity = "max-age=31536000; includeSubDomains";
        headers["Referrer-Policy"] = "no-referrer";
        headers["X-Content-Type-Options"] = "nosniff";
        headers["X-Frame-Options"] = "DENY";
        headers.CacheControl = "no-store";
    }

    private static string GivenKey(HttpRequest request) => request.Headers["x-functions-key"].FirstOrDefault() ?? request.Query["code"].FirstOrDefault() ?? "";

    private bool IsOrganizerKey(string given) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(options.Value.OrganizerKey));
}
