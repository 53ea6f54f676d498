using PeerMatch.Functions.Links;
using PeerMatch.Intake;

namespace PeerMatch.Functions.Storage;

public static class StorageServices
{
    /// <summary>The storage account, the link-signing key kept in it, and the practitioner and suppression tables.</summary>
    public static IServiceCollection AddStorage(this IServiceCollection services)
    {
        services.AddSingleton<StorageAccount>();
        services.AddSingleton<SigningKeyStore>();
        services.AddSingleton<LinkSigner>();
        services.AddSingleton<IPractitionerRepository, PractitionerTable>();
        services.AddSingleton<SuppressionTable>();
        services.AddSingleton<ISuppressionList>(sp => sp.GetRequiredService<SuppressionTable>());
        return services;
    }
}
