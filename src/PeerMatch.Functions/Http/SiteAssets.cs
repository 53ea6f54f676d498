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
    private static readonly FrozenDictionary<string, (string Type, byte[] Content, string Version)> Files = new Dictionary<string, (string, byte[], string)>
    {
        ["site.css"] = Load("text/css; charset=utf-8", "PeerMatch.Functions.Http.site.css"),
        ["profile-form.js"] = Load("text/javascript; charset=utf-8", "PeerMatch.Functions.Intake.profile-form.js"),
        ["organizer-console.js"] = Load("text/javascript; charset=utf-8", "PeerMatch.Functions.Organizer.organizer-console.js"),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The address of an asset, with its version: <c>/api/assets/site.css?v=1a2b3c4d</c>.</summary>
    public static string Url(string name) => $"{Routes.Path(Routes.Asset, name)}?v={Files[name].Version}";

    [Function("Asset")]
    public static Results<FileContentHttpResult, NotFound> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.Asset)] HttpRequest request, string name)
    {
        if (!Files.TryGetValue(name, out var file))
        {
            return TypedResults.NotFound();
        }
        request.HttpContext.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
        return TypedResults.File(file.Content, file.Type);
    }

    private static (string, byte[], string) Load(string type, string resource)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource) ?? throw new InvalidOperationException($"{resource} is not embedded.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var content = buffer.ToArray();
        return (type, content, Convert.ToHexStringLower(SHA256.HashData(content))[..12]);
    }
}
