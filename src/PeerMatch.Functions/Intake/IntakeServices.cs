using PeerMatch.Functions.Email;
using PeerMatch.Intake;
using PeerMatch.Practitioners;

namespace PeerMatch.Functions.Intake;

public static class IntakeServices
{
    /// <summary>Sign-up with double opt-in, the profile routes, their tables and e-mails, and the daily purge.</summary>
    public static IServiceCollection AddIntake(this IServiceCollection services) =>
        services
            .AddSingleton<IPractitionerRepository, PractitionerTable>()
            .AddSingleton<PractitionerService>()
            .AddEmailComposer<IntakeEmailComposer>();
}
