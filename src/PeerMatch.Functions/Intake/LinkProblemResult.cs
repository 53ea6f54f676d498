using PeerMatch.Functions.Http;
using PeerMatch.Links;

namespace PeerMatch.Functions.Intake;

/// <summary>
/// A link that leads nowhere (404): a browser gets the page that says what happened and what to do next,
/// an API client the problem.
/// </summary>
public sealed class LinkProblemResult(LinkKind kind, LinkProblem problem) : IResult, IStatusCodeHttpResult
{
    public int? StatusCode => StatusCodes.Status404NotFound;

    public Task ExecuteAsync(HttpContext httpContext) => Pages.PrefersHtml(httpContext.Request)
        ? Pages.Render<LinkProblemPage>(new { Kind = kind, Problem = problem }, StatusCodes.Status404NotFound).ExecuteAsync(httpContext)
        : Problem(problem).ExecuteAsync(httpContext);

    /// <summary>The problem an API client gets: what went wrong, and where to ask for a new link.</summary>
    public static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Problem(LinkProblem problem) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: problem switch
        {
            LinkProblem.Expired => "This link has expired.",
            LinkProblem.Gone => "What this link pointed to no longer exists.",
            _ => "This link is not valid.",
        },
        detail: $"Ask for a new link: POST your address to {Routes.Path(IntakeRoutes.NewLink)}.");
}
