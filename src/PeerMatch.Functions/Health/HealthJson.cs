using System.Text.Json;
using System.Text.Json.Serialization;

namespace PeerMatch.Functions.Health;

/// <summary>The health route's answer.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(HealthStatus))]
internal sealed partial class HealthJson : JsonSerializerContext;
