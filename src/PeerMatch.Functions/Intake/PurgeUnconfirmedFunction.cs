using Microsoft.Azure.Functions.Worker;
using PeerMatch.Functions.Hosting;
using PeerMatch.Intake;

namespace PeerMatch.Functions.Intake;

/// <summary>Timer-triggered, daily: forgets sign-ups whose confirmation link expired unused.</summary>
public sealed class PurgeUnconfirmedFunction(PractitionerService practitioners, ILogger<PurgeUnconfirmedFunction> log)
{
    [Function("PurgeUnconfirmedIntakes"), DefaultSchedule("0 15 3 * * *")]
    public async Task RunAsync([TimerTrigger("%PurgeUnconfirmedIntakesSchedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var purged = await practitioners.PurgeUnconfirmedAsync(cancellationToken);
        log.LogInformation("Removed {Count} unconfirmed sign-up(s) older than {Days} days", purged, PractitionerService.UnconfirmedRetention.TotalDays);
    }
}
