using PeerMatch.Functions.Hosting;
using PeerMatch.Functions.Settings;

namespace PeerMatch.Functions.Access;

public static class AccessServices
{
    /// <summary>The organizer key in front of every <see cref="OrganizerOnlyAttribute"/> route.</summary>
    public static IServiceCollection AddAccess(this IServiceCollection services) =>
        services
            .AddFeatureOptions<AccessOptions>()
            .AddSingleton<IRequestGuard, OrganizerKeyGuard>();
}
