using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using PeerMatch.Functions.Hosting;
using PeerMatch.Functions.Http;
using PeerMatch.Intake;
using PeerMatch.Invitations;
using PeerMatch.Links;

namespace PeerMatch.Functions.Outreach;

/// <summary>
/// Organizers' bulk invitations: <c>POST /api/organizer/invitations</c> takes a list (JSON, or CSV with the campaign in
/// the query), records who is to be invited and queues the sending in shards; <c>GET …/{campaignId}</c> says how far it got.
/// </summary>
[OrganizerOnly]
public sealed class InvitationsApi(CampaignService campaigns, ICampaignLedger ledger)
{
    /// <summary>Who an invitation is from when the organizer does not say.</summary>
    public const string DefaultSender = "PeerMatch's organizers";

    // 10,000 recipients are checked against the members and recorded: more than a person waits for, less than an organizer's upload.
    [Function("Invitations"), AnswerWithin(120)]
    public async Task<Results<Accepted<CampaignReceipt>, ValidationProblem, ProblemHttpResult>> InviteAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Routes.Invitations)] HttpRequest request, CancellationToken cancellationToken)
    {
        var (json, csv, problem) = await RequestBodies.ReadListAsync(request, ["campaign", "message", "sender", "recipients"], cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        var errors = new ValidationErrors();
        var (title, message, sender, rows) = csv is not null
            ? (request.Query["campaign"].ToString(), request.Query["message"].ToString(), request.Query["sender"].ToString(), ReadCsv(csv, errors))
            : (JsonFields.Text(json!.Value, "campaign", errors), JsonFields.Text(json.Value, "message", errors), JsonFields.Text(json.Value, "sender", errors), ReadJsonRows(json.Value, errors));
        title = IntakeValidator.Line(title, "campaign", CampaignService.TitleMaxLength, required: true, errors);
        message = IntakeValidator.Paragraphs(message, "message", CampaignService.MessageMaxLength, required: false, errors);
        sender = IntakeValidator.Line(sender, "sender", CampaignService.SenderMaxLength, required: false, errors);
        if (!errors.IsEmpty)
        {
            return Problems.Validation(errors);
        }
        var receipt = await campaigns.InviteAsync(new CampaignRequest(title!, message ?? "", sender ?? DefaultSender, rows!), cancellationToken);
        return TypedResults.Accepted(Routes.Path(Routes.Invitation, receipt.CampaignId), receipt);
    }

    [Function("InvitationProgress")]
    public async Task<Results<Ok<CampaignProgress>, NotFound>> ProgressAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.Invitation)] HttpRequest request, string campaignId, CancellationToken cancellationToken) =>
        campaignId.Length <= 64 && await ledger.ProgressAsync(campaignId, cancellationToken) is { } progress
            ? TypedResults.Ok(progress)
            : TypedResults.NotFound();

    private static IReadOnlyList<InvitationRow>? ReadCsv(string csv, ValidationErrors errors)
    {
        var rows = InvitationLists.ReadCsv(new StringReader(csv), out var problem);
        if (rows is null)
        {
            errors.Add("recipients", problem!);
        }
        else if (rows.Count == 0)
        {
            errors.Add("recipients", "The list has a header row but nobody in it.");
        }
        return rows;
    }

    /// <summary>The <c>recipients</c> array, each entry numbered from 1; an entry without a text address is an invalid row.</summary>
    private static List<InvitationRow>? ReadJsonRows(JsonElement body, ValidationErrors errors)
    {
        if (!body.TryGetProperty("recipients", out var recipients) || recipients.ValueKind != JsonValueKind.Array || recipients.GetArrayLength() == 0)
        {
            errors.Add("recipients", "A list of at least one recipient, each {\"email\", \"name\"}.");
            return null;
        }
        if (recipients.GetArrayLength() > InvitationLists.MaxRecipients)
        {
            errors.Add("recipients", $"At most {InvitationLists.MaxRecipients:N0} recipients in one request.");
            return null;
        }
        static string? Field(JsonElement entry, string name) =>
            entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        return recipients.EnumerateArray().Select((entry, i) => new InvitationRow(i + 1, Field(entry, "email"), Field(entry, "name"))).ToList();
    }
}
