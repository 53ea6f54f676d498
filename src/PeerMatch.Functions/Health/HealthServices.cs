using PeerMatch.Functions.Http;

namespace PeerMatch.Functions.Health;

public static class HealthServices
{
    /// <summary>The health route (it needs nothing but storage, which the plumbing brings).</summary>
    public static IServiceCollection AddHealth(this IServiceCollection services) => services.AddApiJson(HealthJson.Default);
}
