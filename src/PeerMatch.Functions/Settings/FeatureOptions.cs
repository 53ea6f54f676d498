namespace PeerMatch.Functions.Settings;

public static class FeatureOptions
{
    /// <summary>A feature's settings, bound from the <c>PeerMatch</c> section (names as the SPEC gives them) and checked at start-up.</summary>
    public static IServiceCollection AddFeatureOptions<TOptions>(this IServiceCollection services) where TOptions : class
    {
        services.AddOptions<TOptions>().BindConfiguration(PeerMatchOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        return services;
    }
}
