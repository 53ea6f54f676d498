using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using PeerMatch.Functions.Hosting;
using PeerMatch.Functions.Http;
using PeerMatch.Intake;
using PeerMatch.Links;
using PeerMatch.Places;
using PeerMatch.Validation;

namespace PeerMatch.Functions.Intake;

public sealed record IntakeAccepted(string Status);

/// <summary>
/// Signing up: the form (<c>GET /api/intake</c>), the intake itself (<c>POST /api/practitioners</c>), and
/// "send me a new link" (<c>/api/me/link</c>). A browser posting the form is answered with pages
/// (post/redirect/get); an API client with JSON and problem details.
/// </summary>
public sealed class IntakeApi(PractitionerService practitioners)
{
    [Function("IntakeForm")]
    public static Results<RazorComponentResult<IntakePage>, SeeOther> Form(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = IntakeRoutes.IntakeForm)] HttpRequest request) =>
        // Profile links once opened the form here; the profile page is the form now.
        request.LinkToken() is { Length: > 0 } token ? Pages.SeeOther(Routes.WithToken(IntakeRoutes.Me, token)) : Pages.Render<IntakePage>();

    [Function("Intake"), SignUpLimited]
    public async Task<Results<Accepted<IntakeAccepted>, SeeOther, RazorComponentResult<IntakePage>, ValidationProblem, ProblemHttpResult>> SubmitAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = IntakeRoutes.Practitioners)] HttpRequest request, CancellationToken cancellationToken)
    {
        var read = await IntakeBodies.ReadAsync(request, IntakeShape.NewIntake, cancellationToken);
        // The form posts here directly: answer that browser with pages, not JSON.
        var browser = read.IsForm && Pages.PrefersHtml(request);
        if (read.Problem is { } problem)
        {
            return browser ? FormAgain(ProfileFormValues.Empty, FormProblem(problem), problem.StatusCode) : problem;
        }
        var profile = IntakeValidator.Validate(read.Intake!, read.Errors);
        if (profile is null)
        {
            return browser ? FormAgain(ProfileFormValues.From(read.Intake!), read.Errors.ToDictionary(), StatusCodes.Status400BadRequest) : Problems.Validation(read.Errors);
        }

        await practitioners.SubmitAsync(profile, cancellationToken);
        // The same answer whether the address is new or known: no account enumeration.
        return browser ? Pages.SeeOther(Routes.Path(IntakeRoutes.IntakeSent)) : TypedResults.Accepted((string?)null, new IntakeAccepted("pending-confirmation"));
    }

    /// <summary>The sign-up form reopened from history after it was sent: back to the form.</summary>
    [Function("IntakeReopened")]
    public static SeeOther Reopened([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = IntakeRoutes.Practitioners)] HttpRequest request) =>
        Pages.SeeOther(IntakeRoutes.IntakeFormPath);

    [Function("IntakeSent")]
    public static RazorComponentResult<SignUpSentPage> Sent([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = IntakeRoutes.IntakeSent)] HttpRequest request) =>
        Pages.Render<SignUpSentPage>();

    [Function("NewLinkForm")]
    public static RazorComponentResult<NewLinkPage> NewLinkForm([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = IntakeRoutes.NewLink)] HttpRequest request) =>
        Pages.Render<NewLinkPage>();

    /// <summary>"Send me a new link": a profile link (or a fresh confirmation) if the address has a profile; the same answer if not.</summary>
    [Function("NewLink"), SignUpLimited]
    public async Task<Results<Accepted<IntakeAccepted>, SeeOther, RazorComponentResult<NewLinkPage>, ValidationProblem, NegotiatedProblem>> NewLinkAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = IntakeRoutes.NewLink)] HttpRequest request, CancellationToken cancellationToken)
    {
        var fields = await RequestBodies.ReadFieldsAsync(request, cancellationToken);
        if (fields.Problem is { } problem)
        {
            return new NegotiatedProblem(problem);
        }
        var errors = new ValidationErrors();
        var email = IntakeValidator.Email(fields["email"], errors);
        if (email is null)
        {
            return Pages.PrefersHtml(request)
                ? Pages.Render<NewLinkPage>(new { Email = fields["email"], Errors = errors.ToDictionary() }, StatusCodes.Status400BadRequest)
                : Problems.Validation(errors);
        }
        await practitioners.RequestLinkAsync(email, cancellationToken);
        return Pages.PrefersHtml(request)
            ? Pages.SeeOther(Routes.Path(IntakeRoutes.NewLinkSent))
            : TypedResults.Accepted((string?)null, new IntakeAccepted("sent-if-known"));
    }

    [Function("NewLinkSent")]
    public static RazorComponentResult<NewLinkSentPage> NewLinkSent([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = IntakeRoutes.NewLinkSent)] HttpRequest request) =>
        Pages.Render<NewLinkSentPage>();

    /// <summary>The states, provinces and regions of a country, for the form's suggestions.</summary>
    [Function("Subdivisions")]
    public static Results<Ok<IReadOnlyList<Named>>, NotFound> Subdivisions(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = IntakeRoutes.Subdivisions)] HttpRequest request, string country) =>
        PlaceNames.IsCountry(country.ToUpperInvariant()) ? TypedResults.Ok(PlaceNames.SubdivisionsOf(country.ToUpperInvariant())) : TypedResults.NotFound();

    private static RazorComponentResult<IntakePage> FormAgain(ProfileFormValues values, IDictionary<string, string[]> errors, int status) =>
        Pages.Render<IntakePage>(new { Values = values, Errors = errors }, status);

    /// <summary>A problem with the whole body, as the form's error summary shows it.</summary>
    public static IDictionary<string, string[]> FormProblem(ProblemHttpResult problem) =>
        new Dictionary<string, string[]> { ["form"] = [problem.ProblemDetails.Detail ?? problem.ProblemDetails.Title ?? "The form could not be read."] };
}
