using PeerMatch.Functions.Http;
using PeerMatch.Functions.Hosting;
using PeerMatch.Functions.Settings;
using PeerMatch.Matching.Organizer;

namespace PeerMatch.Functions.Organizer;

public static class OrganizerServices
{
    /// <summary>The organizer console and the coverage report.</summary>
    public static IServiceCollection AddOrganizer(this IServiceCollection services) =>
        services
            .AddFeatureOptions<OrganizerOptions>()
            .AddApiJson(OrganizerJson.Default)
            .AddSingleton<ICoverageStore, CoverageBlob>()
            .AddSingleton<Coverage>();
}
