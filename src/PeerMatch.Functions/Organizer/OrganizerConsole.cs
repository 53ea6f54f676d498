using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using PeerMatch.Functions.Http;
using PeerMatch.Links;

namespace PeerMatch.Functions.Organizer;

/// <summary>
/// <c>GET /api/organizer</c>: the console's page. It holds no data, so it needs no key to load (a browser's address bar
/// cannot send one as a header); its script asks for the key and sends it with each call to the organizer routes.
/// </summary>
public sealed class OrganizerConsole
{
    [Function("OrganizerConsole")]
    public static RazorComponentResult<ConsolePage> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = OrganizerRoutes.OrganizerConsole)] HttpRequest request) =>
        Pages.Render<ConsolePage>();
}

[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class ModelLabelsJson : System.Text.Json.Serialization.JsonSerializerContext;
