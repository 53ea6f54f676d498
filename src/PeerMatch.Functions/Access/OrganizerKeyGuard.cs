using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using PeerMatch.Functions.Hosting;
using PeerMatch.Functions.Http;

namespace PeerMatch.Functions.Access;

/// <summary>
/// On an HTTP function (or its class): only with the organizer key. Organizers are one of PeerMatch's two roles (the
/// other, practitioners, open links that carry their own tokens); each feature marks the routes it gives organizers.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class OrganizerOnlyAttribute : Attribute;

/// <summary>Who may use organizer routes: the organizer key (<c>PeerMatch__OrganizerKey</c>), checked at start-up, and how many wrong ones a client may send.</summary>
public sealed class AccessOptions
{
    /// <summary>The key organizer routes require in <c>x-functions-key</c> or <c>?code=</c>.</summary>
    [Required(ErrorMessage = "PeerMatch:OrganizerKey is required (set PeerMatch__OrganizerKey).")]
    [MinLength(16, ErrorMessage = "PeerMatch:OrganizerKey must be at least 16 characters.")]
    public string OrganizerKey { get; set; } = "";

    /// <summary>
    /// Wrong organizer keys one client may send in 10 minutes; beyond it, every organizer request from that client is
    /// answered 429 until the 10 minutes are over.
    /// </summary>
    [Range(1, 100_000)]
    public int WrongOrganizerKeysPer10Minutes { get; set; } = 10;
}

/// <summary>
/// Asks for the organizer key before any <see cref="OrganizerOnlyAttribute"/> function runs. Keys are guessed one
/// request at a time, so wrong ones are counted per client: past the limit, the client's organizer requests are
/// refused whatever key they carry (a right one would otherwise confirm a guess), with the wait in Retry-After. A wrong
/// key is logged with the client's address, never the key itself.
/// </summary>
public sealed class OrganizerKeyGuard(IOptions<AccessOptions> options, ILogger<OrganizerKeyGuard> log) : IRequestGuard, IDisposable
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(10);

    private readonly PartitionedRateLimiter<string> _wrongKeys = PartitionedRateLimiter.Create<string, string>(client =>
        RateLimitPartition.GetFixedWindowLimiter(client, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.Value.WrongOrganizerKeysPer10Minutes, Window = Window, QueueLimit = 0,
        }));

    public IResult? Refuse(HttpContext http, FunctionDescriptor guarded)
    {
        if (!guarded.Has<OrganizerOnlyAttribute>())
        {
            return null;
        }
        var client = http.ClientAddress();
        if (_wrongKeys.GetStatistics(client)?.CurrentAvailablePermits == 0)
        {
            return TooManyWrongKeys(http);
        }
        var given = http.Request.Headers["x-functions-key"].FirstOrDefault() ?? http.Request.Query["code"].FirstOrDefault() ?? "";
        if (CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(options.Value.OrganizerKey)))
        {
            return null;
        }
        if (given.Length == 0)
        {
            return new NegotiatedProblem(KeyRequired()); // no key is no guess
        }
        using var attempt = _wrongKeys.AttemptAcquire(client);
        if (!attempt.IsAcquired)
        {
            return TooManyWrongKeys(http);
        }
        var left = _wrongKeys.GetStatistics(client)?.CurrentAvailablePermits ?? 0;
        log.LogWarning("Wrong organizer key from {Client} on {Function} ({Left} more allowed in this window)", client, guarded.Name, left);
        if (left == 0)
        {
            log.LogWarning("{Client} has sent {Limit} wrong organizer keys: its organizer requests are refused for up to {Window}", client, options.Value.WrongOrganizerKeysPer10Minutes, Window);
        }
        return new NegotiatedProblem(KeyRequired());
    }

    public void Dispose() => _wrongKeys.Dispose();

    private static ProblemHttpResult KeyRequired() => TypedResults.Problem(
        statusCode: StatusCodes.Status401Unauthorized,
        title: "Organizer key required.",
        detail: "Send the organizer key in the x-functions-key header or the code query parameter.");

    private static NegotiatedProblem TooManyWrongKeys(HttpContext http)
    {
        http.Response.Headers.RetryAfter = ((int)Window.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new NegotiatedProblem(TypedResults.Problem(
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "Too many wrong organizer keys from here.",
            detail: $"Organizer requests from here are refused for up to {Window.TotalMinutes:0} minutes. Then send the right key."));
    }
}
