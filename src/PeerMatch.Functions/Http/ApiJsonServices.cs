using System.Text.Json.Serialization.Metadata;

namespace PeerMatch.Functions.Http;

public static class ApiJsonServices
{
    /// <summary>A feature's source-generated JSON, for the routes' answers and bodies (each feature registers its own).</summary>
    public static IServiceCollection AddApiJson(this IServiceCollection services, IJsonTypeInfoResolver resolver) =>
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Add(resolver));
}
