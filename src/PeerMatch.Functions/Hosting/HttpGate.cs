using PeerMatch.Functions.Http;

namespace PeerMatch.Functions.Hosting;

/// <summary>
/// What stands around every HTTP function, under the Functions host and standalone alike: security headers, the
/// guards features put in front of their functions (a key, a limit per client), and a problem (never a bare 500)
/// when a function fails or takes too long.
/// </summary>
public sealed class HttpGate(IEnumerable<IRequestGuard> guards, ILogger<HttpGate> log)
{
    /// <summary>
    /// A person waits at most this long: past it (storage unreachable, say) the answer is a 503 to try again. A function
    /// may set its own (<see cref="AnswerWithinAttribute"/>).
    /// </summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(4);

    private readonly IRequestGuard[] _guards = guards.ToArray();

    /// <summary>Runs <paramref name="function"/> through the gate; the answer is what the client gets (a page, for a browser).</summary>
    public async Task<IResult> RunAsync(HttpContext http, FunctionDescriptor function, Func<Task<IResult?>> invoke)
    {
        ApplySecurityHeaders(http.Response);
        foreach (var guard in _guards)
        {
            if (guard.Refuse(http, function) is { } refused)
            {
                return refused;
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
            http.Response.Headers.RetryAfter = "30";
            return new NegotiatedProblem(Problems.Unavailable());
        }
        catch (Exception e) when (!http.RequestAborted.IsCancellationRequested)
        {
            log.LogError(e, "{Function} failed", function.Name);
            return new NegotiatedProblem(Problems.Unexpected());
        }
    }

    /// <summary>Storage down or unreachable (after the clients' own quick retries), as opposed to a fault in the code.</summary>
    private static bool IsStorageOutage(Exception e) => e switch
    {
        Azure.RequestFailedException { Status: 0 or >= 500 } => true,
        HttpRequestException or TimeoutException or TaskCanceledException or System.Net.Sockets.SocketException => true,
        AggregateException aggregate => aggregate.InnerExceptions.All(IsStorageOutage),
        _ => e.InnerException is { } inner && IsStorageOutage(inner),
    };

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
}
