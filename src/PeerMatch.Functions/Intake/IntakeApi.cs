using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using PeerMatch.Functions.Hosting;
using PeerMatch.Functions.Http;
using PeerMatch.Intake;
using static System.Net.WebUtility;

using PeerMatch.Links;

namespace PeerMatch.Functions.Intake;

public sealed record IntakeAccepted(string Status);

/// <summary><c>GET /api/intake</c> (the form) and <c>POST /api/practitioners</c> (the intake itself).</summary>
public sealed class IntakeApi(IntakeForm form, PractitionerService practitioners)
{
    [Function("IntakeForm")]
    public ContentHttpResult Form([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.IntakeForm)] HttpRequest request) =>
        TypedResults.Content(form.Html, "text/html; charset=utf-8");

    [Function("Intake"), SignUpLimited]
    public async Task<Results<Accepted<IntakeAccepted>, ContentHttpResult, ValidationProblem, ProblemHttpResult>> SubmitAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Routes.Practitioners)] HttpRequest request, CancellationToken cancellationToken)
    {
        var read = await RequestBodies.ReadIntakeAsync(request, IntakeShape.NewIntake, cancellationToken);
        // The form posts here directly when scripts are off: answer that browser with a page, not JSON.
        var answerWithPage = read.IsForm && Pages.PrefersHtml(request);
        if (read.Problem is { } problem)
        {
            return answerWithPage ? ProblemPage(problem) : problem;
        }

        var profile = IntakeValidator.Validate(read.Intake!, read.Errors);
        if (profile is null)
        {
            return answerWithPage ? ErrorsPage(read.Errors) : Problems.Validation(read.Errors);
        }

        await practitioners.SubmitAsync(profile, cancellationToken);
        // The same answer whether the address is new or known: no account enumeration.
        return answerWithPage
            ? Pages.Html("Check your inbox",
                $"<p>We sent a message to <strong>{HtmlEncode(profile.Email)}</strong>. Open the link in it to confirm your address and activate your profile.</p><p>No message after a few minutes? Look in your spam folder, or <a href=\"{Pages.IntakeFormPath}\">send the form again</a>.</p>",
                StatusCodes.Status202Accepted)
            : TypedResults.Accepted((string?)null, new IntakeAccepted("pending-confirmation"));
    }

    private static ContentHttpResult ErrorsPage(ValidationErrors errors)
    {
        var items = string.Concat(errors.ToDictionary().Select(e =>
            $"<li><strong>{HtmlEncode(e.Key)}</strong>: {HtmlEncode(string.Join(" ", e.Value))}</li>"));
        return Pages.Html("Some fields need attention",
            $"<p>Nothing was saved.</p><ul>{items}</ul><p><a href=\"{Pages.IntakeFormPath}\">Back to the form</a> (use your browser's back button to keep what you typed).</p>",
            StatusCodes.Status400BadRequest);
    }

    private static ContentHttpResult ProblemPage(ProblemHttpResult problem) =>
        Pages.Html(problem.ProblemDetails.Title ?? "The form could not be read",
            $"<p>{HtmlEncode(problem.ProblemDetails.Detail ?? "")}</p><p><a href=\"{Pages.IntakeFormPath}\">Back to the form</a></p>",
            problem.StatusCode);
}
