using PeerMatch.Functions.Hosting;
using PeerMatch.Intake;

namespace PeerMatch.Functions.Intake;

/// <summary>Timer-triggered, daily: forgets sign-ups whose confirmation link expired unused.</summary>
public sealed class PurgeUnconfirmedFunction(PractitionerService practitioners) : IInvokedFunction
{
    public const string Name = "PurgeUnconfirmedIntakes";

    public async Task<InvocationResult> InvokeAsync(Invocation invocation, CancellationToken cancellationToken)
    {
        var purged = await practitioners.PurgeUnconfirmedAsync(cancellationToken);
        return new InvocationResult
        {
            Logs = [$"Removed {purged} unconfirmed sign-up(s) older than {PractitionerService.UnconfirmedRetention.TotalDays} days."],
            ReturnValue = purged,
        };
    }
}
