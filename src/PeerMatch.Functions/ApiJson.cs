using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;
using PeerMatch.Functions.Health;
using PeerMatch.Functions.Intake;

namespace PeerMatch.Functions;

/// <summary>Source-generated JSON for everything the HTTP routes read or write (camelCase).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(IntakeAccepted))]
[JsonSerializable(typeof(ConfirmationStatus))]
[JsonSerializable(typeof(PeerMatch.Functions.Matching.SuggestionView))]
[JsonSerializable(typeof(PeerMatch.Functions.Matching.FollowUpView))]
[JsonSerializable(typeof(PeerMatch.Functions.Unsubscribe.UnsubscribeStatus))]
[JsonSerializable(typeof(Microsoft.AspNetCore.Mvc.ProblemDetails))]
[JsonSerializable(typeof(IReadOnlyList<PeerMatch.Places.Named>))]
[JsonSerializable(typeof(ProfileExport))]
[JsonSerializable(typeof(HealthStatus))]
[JsonSerializable(typeof(PeerMatch.Functions.Matching.AnswerRecorded))]
[JsonSerializable(typeof(PeerMatch.Functions.Matching.MetRecorded))]
[JsonSerializable(typeof(PeerMatch.Functions.Organizer.MatchRunStarted))]
[JsonSerializable(typeof(PeerMatch.Functions.Groups.GroupProposals))]
[JsonSerializable(typeof(PeerMatch.Functions.Groups.GroupsFormed))]
[JsonSerializable(typeof(PeerMatch.Functions.Groups.GroupList))]
[JsonSerializable(typeof(PeerMatch.Functions.Groups.GroupPageView))]
[JsonSerializable(typeof(PeerMatch.Functions.Groups.GroupAnswerRecorded))]
[JsonSerializable(typeof(PeerMatch.Functions.Groups.GroupLeft))]
[JsonSerializable(typeof(PeerMatch.Functions.Groups.GroupMet))]
[JsonSerializable(typeof(PeerMatch.Functions.Groups.GroupStarted))]
[JsonSerializable(typeof(PeerMatch.Invitations.CampaignReceipt))]
[JsonSerializable(typeof(PeerMatch.Functions.Invitations.ColleagueInvited))]
[JsonSerializable(typeof(PeerMatch.Invitations.CampaignProgress))]
[JsonSerializable(typeof(PeerMatch.Functions.Invitations.CampaignList))]
[JsonSerializable(typeof(PeerMatch.Functions.Invitations.InDoubtResolved))]
[JsonSerializable(typeof(ProblemDetails))]
[JsonSerializable(typeof(HttpValidationProblemDetails))]
internal sealed partial class ApiJson : JsonSerializerContext;
