using PeerMatch.Functions.Settings;
using PeerMatch.Functions.Email;
using PeerMatch.Functions.Hosting;
using PeerMatch.Functions.Http;
using PeerMatch.Intake;
using PeerMatch.Practitioners;

namespace PeerMatch.Functions.Intake;

public static class IntakeServices
{
    /// <summary>Sign-up with double opt-in, the profile routes, their tables and e-mails, and the daily purge.</summary>
    public static IServiceCollection AddIntake(this IServiceCollection services) =>
        services
            .AddFeatureOptions<IntakeOptions>()
            .AddApiJson(IntakeJson.Default)
            .AddSingleton<IRequestGuard, SignUpLimit>()
            .AddSingleton<IPractitionerRepository, PractitionerTable>()
            .AddSingleton<PractitionerService>()
            .AddSingleton<IntakeLinks>()
            .AddSingleton<SuppressionTable>()
            .AddSingleton<ISuppressionList>(sp => sp.GetRequiredService<SuppressionTable>())
            .AddSingleton<UnsubscribeLinks>()
            .AddSingleton<LinkedPages>()
            .AddSingleton(new SiteHome(IntakeRoutes.IntakeFormPath))
            .AddEmailComposer<IntakeEmailComposer>();
}
