using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using PeerMatch.Functions.Access;
using PeerMatch.Functions.Hosting;
using PeerMatch.Functions.Http;
using PeerMatch.Intake;
using PeerMatch.Invitations;
using PeerMatch.Links;
using PeerMatch.Validation;

namespace PeerMatch.Functions.Invitations;

public sealed record CampaignList(IReadOnlyList<CampaignSummary> Campaigns);

/// <summary>What an organizer's decision on the invitations in doubt did: how many were counted as sent, or queued to send again.</summary>
public sealed record InDoubtResolved(string CampaignId, string Resolve, int Invitations, CampaignProgress Progress);

/// <summary>
/// Organizers' bulk invitations: <c>POST /api/organizer/invitations</c> takes a list (JSON, or CSV with the campaign in
/// the query), records who is to be invited and queues the sending in shards; <c>GET …/{campaignId}</c> says how far it got.
/// </summary>
[OrganizerOnly]
public sealed class InvitationsApi(CampaignService campaigns, ICampaignLedger ledger, CampaignSending sending)
{
    /// <summary>Who an invitation is from when the organizer does not say.</summary>
    public const string DefaultSender = "PeerMatch's organizers";

    // 10,000 recipients are checked against the members and recorded: more than a person waits for, less than an organizer's upload.
    [Function("Invitations"), AnswerWithin(120)]
    public async Task<Results<Accepted<CampaignReceipt>, Ok<CampaignReceipt>, ValidationProblem, ProblemHttpResult>> InviteAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = InvitationRoutes.Invitations)] HttpRequest request, CancellationToken cancellationToken)
    {
        var body = await RequestBodies.ReadListAsync(request, ["campaign", "message", "sender", "recipients"], filePart: "recipients", cancellationToken);
        if (body.Problem is not null)
        {
            return body.Problem;
        }
        var errors = new ValidationErrors();
        var dryRun = DryRun(request, errors);
        var (title, message, sender, rows) = body.Csv is { } csv
            ? (body.CsvFields.GetValueOrDefault("campaign"), body.CsvFields.GetValueOrDefault("message"), body.CsvFields.GetValueOrDefault("sender"), ReadCsv(csv, errors))
            : (JsonFields.Text(body.Json!.Value, "campaign", errors), JsonFields.Text(body.Json.Value, "message", errors), JsonFields.Text(body.Json.Value, "sender", errors), ReadJsonRows(body.Json.Value, errors));
        title = IntakeValidator.Line(title, "campaign", CampaignService.TitleMaxLength, required: true, errors);
        message = IntakeValidator.Paragraphs(message, "message", CampaignService.MessageMaxLength, required: false, errors);
        sender = IntakeValidator.Line(sender, "sender", CampaignService.SenderMaxLength, required: false, errors);
        if (!errors.IsEmpty)
        {
            return Problems.Validation(errors);
        }
        var campaign = new CampaignRequest(title!, message ?? "", sender ?? DefaultSender, rows!);
        if (dryRun)
        {
            return TypedResults.Ok(await campaigns.PreviewAsync(campaign, cancellationToken));
        }
        var receipt = await campaigns.InviteAsync(campaign, cancellationToken);
        return TypedResults.Accepted(Routes.Path(InvitationRoutes.Invitation, receipt.CampaignId), receipt);
    }

    /// <summary>The organizers' recent campaigns, newest first, for the console to follow.</summary>
    [Function("Campaigns")]
    public async Task<Ok<CampaignList>> ListAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = InvitationRoutes.Invitations)] HttpRequest request, CancellationToken cancellationToken) =>
        TypedResults.Ok(new CampaignList(await ledger.RecentAsync(RecentCampaigns, cancellationToken)));

    /// <summary>How many campaigns the list shows.</summary>
    public const int RecentCampaigns = 20;

    /// <summary><c>?dryRun=true</c>: the counts only, nothing recorded or sent.</summary>
    private static bool DryRun(HttpRequest request, ValidationErrors errors)
    {
        var value = request.Query["dryRun"].ToString();
        if (value.Length == 0)
        {
            return false;
        }
        if (bool.TryParse(value, out var dryRun))
        {
            return dryRun;
        }
        errors.Add("dryRun", "true or false.");
        return false;
    }

    [Function("InvitationProgress")]
    public async Task<Results<Ok<CampaignProgress>, NotFound>> ProgressAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = InvitationRoutes.Invitation)] HttpRequest request, string campaignId, CancellationToken cancellationToken) =>
        campaignId.Length <= 64 && await ledger.ProgressAsync(campaignId, cancellationToken) is { } progress
            ? TypedResults.Ok(progress)
            : TypedResults.NotFound();

    /// <summary>
    /// <c>{"resolve":"sent"}</c> counts the invitations in doubt as sent (the organizer found them in SendGrid's activity,
    /// or would rather miss some than double them); <c>{"resolve":"resend"}</c> sends them again, and each may then get
    /// a second copy.
    /// </summary>
    [Function("InvitationsInDoubt")]
    public async Task<Results<Ok<InDoubtResolved>, NotFound, ValidationProblem, ProblemHttpResult>> ResolveInDoubtAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = InvitationRoutes.InvitationsInDoubt)] HttpRequest request, string campaignId, CancellationToken cancellationToken)
    {
        var (body, problem) = await RequestBodies.ReadJsonObjectAsync(request, ["resolve"], cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        var errors = new ValidationErrors();
        var resolve = JsonFields.Text(body, "resolve", errors);
        if (resolve is not ("sent" or "resend"))
        {
            errors.Add("resolve", "\"sent\" (count them as sent) or \"resend\" (send them again; each may get a second copy).");
            return Problems.Validation(errors);
        }
        if (campaignId.Length > 64 || await ledger.ProgressAsync(campaignId, cancellationToken) is null)
        {
            return TypedResults.NotFound();
        }
        var resolved = await sending.ResolveInDoubtAsync(campaignId, sendAgain: resolve == "resend", cancellationToken);
        return TypedResults.Ok(new InDoubtResolved(campaignId, resolve, resolved, (await ledger.ProgressAsync(campaignId, cancellationToken))!));
    }

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
