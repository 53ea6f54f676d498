using PeerMatch.Functions.Hosting;
using PeerMatch.Intake;

namespace PeerMatch.Functions.Intake;

public static class IntakeServices
{
    /// <summary>Sign-up, confirmation, the profile routes and the daily purge of unconfirmed sign-ups.</summary>
    public static IServiceCollection AddIntake(this IServiceCollection services)
    {
        services.AddSingleton<PractitionerService>();
        services.AddSingleton<IntakeForm>();
        services.AddInvokedFunction<PurgeUnconfirmedFunction>(PurgeUnconfirmedFunction.Name);
        return services;
    }
}
