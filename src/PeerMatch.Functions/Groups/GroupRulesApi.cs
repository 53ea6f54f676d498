using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using PeerMatch.Functions.Http;
using PeerMatch.Functions.Intake;
using PeerMatch.Matching.Groups;
using PeerMatch.Practitioners;
using PeerMatch.Validation;

namespace PeerMatch.Functions.Groups;

/// <summary>A group's ground rules as an API client sees them: the version that stands, its rules, and who agreed, objected or has not said (first names).</summary>
public sealed record GroupRulesView(int Version, IReadOnlyList<ContentItem> Rules, IReadOnlyList<string> Agreed, IReadOnlyList<string> Objected, IReadOnlyList<string> NotYet);

/// <summary>What a rules form asked: the convener's new rules, or a member's answer.</summary>
public sealed record RulesForm(IReadOnlyList<ContentItem>? Rules, bool? Agree);

/// <summary>
/// <c>POST /api/groups/{id}/rules</c> from the group's page: the convener's edit of the group's ground rules
/// (<c>rules</c>: one rule a line, "Name: what it says"), or a member's <c>answer=agree</c> or <c>answer=object</c> to
/// the version that stands.
/// </summary>
public sealed class GroupRulesApi(LinkedPages pages, GroupPages groupPages, GroupRules rules, GroupSettling settling, GroupContent content,
    IPractitionerRepository practitioners)
{
    [Function("GroupRules")]
    public Task<Results<Ok<GroupRulesView>, SeeOther, ValidationProblem, ProblemHttpResult, LinkProblemResult>> RulesAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = GroupRoutes.GroupRules)] HttpRequest request, string id, CancellationToken cancellationToken) =>
        pages.AnswerAsync(request, groupPages.Group, id, Read, async (seen, form, ct) =>
        {
            var changed = form.Rules is { } edited
                ? await rules.EditAsync(id, seen.Viewer.Id, GroupContent.Write(edited), ct)
                : await rules.AnswerAsync(id, seen.Viewer.Id, form.Agree!.Value, ct);
            return changed is null || await settling.SettleAsync(id, ct) is not { } group
                ? null
                : View(group, content, await GroupView.LoadAsync(group, practitioners, ct));
        }, cancellationToken);

    public static GroupRulesView View(GroupWithSeats group, GroupContent content, GroupView view)
    {
        var version = group.Group.RulesVersion;
        List<string> Named(Func<GroupSeat, bool> which) => view.Members.Where(m => which(m.Seat)).Select(m => m.FirstName).ToList();
        return new GroupRulesView(version, content.RulesOf(group.Group), Named(s => s.AgreesTo(version) == true), Named(s => s.AgreesTo(version) == false),
            Named(s => s.AgreesTo(version) is null));
    }

    private static RulesForm Read(GroupSeen seen, IReadOnlyDictionary<string, string> fields, ValidationErrors errors)
    {
        if (fields.GetValueOrDefault("rules") is { } text)
        {
            if (seen.Group.Group.ConvenerId != seen.Viewer.Id)
            {
                errors.Add("rules", "Only the convener edits the group's ground rules; members agree or object.");
            }
            var items = GroupContent.Parse(text.Split('\n').Select(l => l.TrimStart().StartsWith("- ", StringComparison.Ordinal) ? l : "- " + l.Trim())
                .Where(l => l.Trim().Length > 2));
            if (text.Length > GroupRules.MaxLength || items.Count is 0 or > 20)
            {
                errors.Add("rules", $"Must be 1 to 20 rules, one a line, {GroupRules.MaxLength} characters at most.");
            }
            return new RulesForm(items, null);
        }
        var answer = fields.GetValueOrDefault("answer");
        if (answer is not ("agree" or "object"))
        {
            errors.Add("answer", "Must be agree or object (or, for the convener, rules to edit them).");
        }
        return new RulesForm(null, answer == "agree");
    }
}
