using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using PeerMatch.Functions.Http;
using PeerMatch.Functions.Intake;
using PeerMatch.Functions.Links;
using PeerMatch.Intake;
using PeerMatch.Invitations;
using PeerMatch.Links;
using PeerMatch.Practitioners;
using PeerMatch.Validation;

namespace PeerMatch.Functions.Invitations;

/// <summary>What a practitioner is told after inviting a colleague: the same whether the address was new, a member's or unsubscribed.</summary>
public sealed record ColleagueInvited(string Status);

/// <summary>
/// <c>POST /api/me/invitations?token=</c>: a practitioner invites a colleague (JSON, or the profile page's form). The
/// invitation names them; at most <see cref="CampaignService.ColleaguesPerWeek"/> in 7 days.
/// </summary>
public sealed class ColleagueInvitationsApi(LinkSigner links, IPractitionerRepository repository, CampaignService campaigns)
{
    public const int MessageMaxLength = 1_000;

    [Function("InviteColleague")]
    public async Task<Results<Accepted<ColleagueInvited>, SeeOther, ValidationProblem, ProblemHttpResult, LinkProblemResult>> InviteAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = InvitationRoutes.MyInvitations)] HttpRequest request, CancellationToken cancellationToken)
    {
        var (inviter, linkProblem) = await links.OpenAsync(request.LinkToken(), IntakeTokens.Manage, repository, cancellationToken);
        if (inviter is null)
        {
            return new LinkProblemResult(IntakeLinks.Profile, linkProblem);
        }
        var fields = await RequestBodies.ReadFieldsAsync(request, cancellationToken);
        if (fields.Problem is not null)
        {
            return fields.Problem;
        }
        var browser = Pages.PrefersHtml(request);
        var errors = new ValidationErrors();
        var email = IntakeValidator.Email(fields["email"], errors);
        var name = IntakeValidator.Name(fields["name"], "name", InvitationLists.NameMaxLength, required: false, errors);
        var message = IntakeValidator.Paragraphs(fields["message"], "message", MessageMaxLength, required: false, errors);
        if (!errors.IsEmpty)
        {
            return browser ? BackToProfile(request, "invalid") : Problems.Validation(errors);
        }
        if (!await campaigns.InviteColleagueAsync(inviter, new InvitationRow(1, email, name), message ?? "", cancellationToken))
        {
            return browser
                ? BackToProfile(request, "limit")
                : TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "You have invited as many colleagues as a week allows.",
                    detail: $"At most {CampaignService.ColleaguesPerWeek} invitations in 7 days; try again in a few days.");
        }
        return browser ? BackToProfile(request, "sent") : TypedResults.Accepted((string?)null, new ColleagueInvited("sent"));
    }

    /// <summary>The profile page again (post/redirect/get), saying how the invitation went.</summary>
    private static SeeOther BackToProfile(HttpRequest request, string outcome) =>
        Pages.SeeOther(Routes.WithToken(IntakeRoutes.Me, request.LinkToken()) + "&invite=" + outcome + "#invite");
}
