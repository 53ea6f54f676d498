using System.ComponentModel.DataAnnotations;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using PeerMatch.Functions.Hosting;
using PeerMatch.Functions.Http;

namespace PeerMatch.Functions.Intake;

/// <summary>On an HTTP function that sends e-mail to whatever address is typed in: each client may call it only so often.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SignUpLimitedAttribute : Attribute;

/// <summary>Intake's settings.</summary>
public sealed class IntakeOptions
{
    /// <summary>Sign-ups one client may post per minute (<c>PeerMatch__IntakePerMinute</c>); each may send an e-mail.</summary>
    [Range(1, 100_000)]
    public int IntakePerMinute { get; set; } = 10;
}

/// <summary>Sign-ups send e-mail to whatever address is typed in: each client may post only so many a minute (a 429 beyond).</summary>
public sealed class SignUpLimit(IOptions<IntakeOptions> options) : IRequestGuard, IDisposable
{
    private readonly PartitionedRateLimiter<string> _signUps = PartitionedRateLimiter.Create<string, string>(client =>
        RateLimitPartition.GetFixedWindowLimiter(client, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.Value.IntakePerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0,
        }));

    public IResult? Refuse(HttpContext http, FunctionDescriptor guarded)
    {
        if (!guarded.Has<SignUpLimitedAttribute>())
        {
            return null;
        }
        using var lease = _signUps.AttemptAcquire(http.ClientAddress());
        if (lease.IsAcquired)
        {
            return null;
        }
        http.Response.Headers.RetryAfter = "60";
        return new NegotiatedProblem(TypedResults.Problem(
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "Too many sign-ups from here.",
            detail: "Nothing was saved. Please wait a minute and send the form again."));
    }

    public void Dispose() => _signUps.Dispose();
}
