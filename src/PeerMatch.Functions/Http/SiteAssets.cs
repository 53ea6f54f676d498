using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using PeerMatch.Links;

namespace PeerMatch.Functions.Http;

/// <summary>
/// The pages' stylesheet and script, served as files (<c>GET /api/assets/{name}</c>) so the pages' Content
/// Security Policy allows no inline code. Each address carries a hash of its content: cached for good,
/// and a new version is a new address.
/// </summary>
public sealed class SiteAssets
{
    /// <summary>The route every script and style sheet is served at.</summary>
    public const string Asset = "assets/{name}";

    /// <summary>Every embedded stylesheet and script of the app (<c>*.css</c>, <c>*.js</c> in any feature's folder), by file name.</summary>
    private static readonly FrozenDictionary<string, (string Type, byte[] Content, string Version)> Files = Assembly.GetExecutingAssembly()
        .GetManifestResourceNames()
        .Where(r => r.StartsWith(AssetPrefix, StringComparison.Ordinal))
        .ToFrozenDictionary(r => r[AssetPrefix.Length..], Load, StringComparer.Ordinal);

    /// <summary>How the project names the files it embeds to serve (their file name after it).</summary>
    private const string AssetPrefix = "PeerMatch.Functions.Assets.";

    /// <summary>The address of an asset, with its version: <c>/api/assets/site.css?v=1a2b3c4d</c>.</summary>
    public static string Url(string name) => $"{Routes.Path(SiteAssets.Asset, name)}?v={Files[name].Version}";

    [Function("Asset")]
    public static Results<FileContentHttpResult, NotFound> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = SiteAssets.Asset)] HttpRequest request, string name)
    {
        if (!Files.TryGetValue(name, out var file))
        {
            return TypedResults.NotFound();
        }
        request.HttpContext.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
        return TypedResults.File(file.Content, file.Type);
    }

    private static (string, byte[], string) Load(string resource)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)!;
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var content = buffer.ToArray();
        var type = resource.EndsWith(".css", StringComparison.Ordinal) ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8";
        return (type, content, Convert.ToHexStringLower(SHA256.HashData(content))[..12]);
    }
}
