using PeerMatch.Intake;

namespace PeerMatch.Functions.Outreach;

public static class OutreachServices
{
    /// <summary>Unsubscribing: the suppression list every sender checks.</summary>
    public static IServiceCollection AddOutreach(this IServiceCollection services) =>
        services
            .AddSingleton<SuppressionTable>()
            .AddSingleton<ISuppressionList>(sp => sp.GetRequiredService<SuppressionTable>());
}
