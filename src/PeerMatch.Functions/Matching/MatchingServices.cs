using PeerMatch.Functions.Http;
using Microsoft.Extensions.Options;
using PeerMatch.Functions.Email;
using PeerMatch.Functions.Settings;
using PeerMatch.Matching;
using PeerMatch.Matching.Organizer;
using PeerMatch.Practitioners;

namespace PeerMatch.Functions.Matching;

public static class MatchingServices
{
    /// <summary>The weekly matching: its services, its stores (each takes part in erasure), the ranker store and its e-mails.</summary>
    public static IServiceCollection AddMatching(this IServiceCollection services)
    {
        AddStore<ISuggestionStore, SuggestionTable>(services);
        AddStore<IWeekPlanStore, WeekPlanTable>(services);
        AddStore<IIntroductionStore, IntroductionTable>(services);
        AddStore<IMatchRunStore, MatchRunTable>(services);
        services.AddSingleton<ModelStore>();
        services.AddSingleton<IRankerStore>(sp => sp.GetRequiredService<ModelStore>());
        services.AddFeatureOptions<MatchingSettings>();
        services.AddApiJson(MatchingJson.Default);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<MatchingSettings>>().Value);
        services.AddSingleton<Retraining>();
        services.AddSingleton<MatchRuns>();
        services.AddSingleton<SuggestionAnswers>();
        services.AddSingleton<MatchingLinks>();
        return services.AddEmailComposer<MatchEmailComposer>();
    }

    private static void AddStore<TPort, TTable>(IServiceCollection services)
        where TPort : class
        where TTable : class, TPort, IPersonalDataStore
    {
        services.AddSingleton<TTable>();
        services.AddSingleton<TPort>(sp => sp.GetRequiredService<TTable>());
        services.AddSingleton<IPersonalDataStore>(sp => sp.GetRequiredService<TTable>());
    }
}
