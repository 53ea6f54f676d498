using System.Text.Json;
using System.Text.Json.Serialization;

namespace PeerMatch.Functions.Groups;

/// <summary>Peer groups' JSON: the routes' answers, and the reasons kept with a group.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(GroupProposals))]
[JsonSerializable(typeof(GroupsFormed))]
[JsonSerializable(typeof(GroupList))]
[JsonSerializable(typeof(GroupPageView))]
[JsonSerializable(typeof(GroupAnswerRecorded))]
[JsonSerializable(typeof(GroupLeft))]
[JsonSerializable(typeof(GroupMet))]
[JsonSerializable(typeof(GroupStarted))]
[JsonSerializable(typeof(GroupConvening))]
[JsonSerializable(typeof(GroupMeetingsView))]
[JsonSerializable(typeof(GroupSeatsView))]
[JsonSerializable(typeof(GroupRulesView))]
internal sealed partial class GroupJson : JsonSerializerContext;
