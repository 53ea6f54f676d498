namespace PeerMatch.Functions.Links;

public static class LinkServices
{
    /// <summary>Signed links in e-mails, with the signing key kept in Blob Storage.</summary>
    public static IServiceCollection AddLinks(this IServiceCollection services) =>
        services.AddSingleton<SigningKeyStore>().AddSingleton<LinkSigner>();
}
