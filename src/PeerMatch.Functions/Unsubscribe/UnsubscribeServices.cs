using PeerMatch.Functions.Http;
using PeerMatch.Practitioners;

namespace PeerMatch.Functions.Unsubscribe;

public static class UnsubscribeServices
{
    /// <summary>Unsubscribing: the suppression list every sender checks.</summary>
    public static IServiceCollection AddUnsubscribe(this IServiceCollection services) =>
        services
            .AddApiJson(UnsubscribeJson.Default)
            .AddSingleton<SuppressionTable>()
            .AddSingleton<ISuppressionList>(sp => sp.GetRequiredService<SuppressionTable>())
            .AddSingleton<UnsubscribeLinks>();
}
