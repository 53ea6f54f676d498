using System.Text.Json;
using System.Text.Json.Serialization;

namespace PeerMatch.Functions.Intake;

/// <summary>Intake's JSON (camelCase, source-generated): its answers and the export.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(IntakeAccepted))]
[JsonSerializable(typeof(ConfirmationStatus))]
[JsonSerializable(typeof(IReadOnlyList<PeerMatch.Places.Named>))]
[JsonSerializable(typeof(ProfileExport))]
[JsonSerializable(typeof(UnsubscribeStatus))]
internal sealed partial class IntakeJson : JsonSerializerContext;
