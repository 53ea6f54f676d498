using System.Text.Json;
using System.Text.Json.Serialization;

namespace PeerMatch.Functions.Unsubscribe;

/// <summary>The unsubscribe route's JSON answer.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(UnsubscribeStatus))]
internal sealed partial class UnsubscribeJson : JsonSerializerContext;
