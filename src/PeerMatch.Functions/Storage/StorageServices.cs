namespace PeerMatch.Functions.Storage;

public static class StorageServices
{
    /// <summary>The one storage account (Azurite locally): tables, queues and blobs, named with the table prefix.</summary>
    public static IServiceCollection AddStorage(this IServiceCollection services) =>
        services.AddSingleton<StorageAccount>();
}
