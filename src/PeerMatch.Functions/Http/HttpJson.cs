using System.Text.Json;
using System.Text.Json.Serialization;

namespace PeerMatch.Functions.Http;

/// <summary>Problem details, as every route answers a problem.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(Microsoft.AspNetCore.Mvc.ProblemDetails))]
[JsonSerializable(typeof(Microsoft.AspNetCore.Http.HttpValidationProblemDetails))]
internal sealed partial class HttpJson : JsonSerializerContext;
