using PeerMatch.Functions.Hosting;
using PeerMatch.Intake;

namespace PeerMatch.Functions.Matching;

public static class MatchingServices
{
    /// <summary>The weekly run, its stores (each takes part in erasure), the model store and retraining.</summary>
    public static IServiceCollection AddMatching(this IServiceCollection services)
    {
        foreach (var store in new[] { typeof(SuggestionTable), typeof(WeekPlanTable), typeof(IntroductionTable), typeof(MatchRunTable) })
        {
            services.AddSingleton(store);
            services.AddSingleton(typeof(IPersonalDataStore), sp => sp.GetRequiredService(store));
        }
        services.AddSingleton<ModelStore>();
        services.AddSingleton<Retraining>();
        services.AddSingleton<MatchRunner>();
        services.AddInvokedFunction<MatchRunFunction>(MatchRunFunction.Name);
        services.AddInvokedFunction<WeeklyMatchDigestFunction>(WeeklyMatchDigestFunction.Name);
        services.AddInvokedFunction<RetrainMatchModelFunction>(RetrainMatchModelFunction.Name);
        services.AddInvokedFunction<IntroductionFollowUpFunction>(IntroductionFollowUpFunction.Name);
        return services;
    }
}
