using Microsoft.AspNetCore.Http.HttpResults;
using PeerMatch.Links;

namespace PeerMatch.Functions.Http;

/// <summary>
/// A kind of e-mailed link, in the words a person reads when it leads nowhere: when what it pointed to is gone, and
/// (if its lifetime is worth saying) when it has expired. Each feature declares its own.
/// </summary>
public sealed record LinkKind(string GoneTitle, string GoneText, string? ExpiredText = null, bool SignUpAgainWhenGone = false);

/// <summary>What was wrong with a link: too old, not a link of ours, or what it pointed to is gone.</summary>
public enum LinkProblem { Expired, Invalid, Gone }

public static class LinkProblems
{
    public static LinkProblem From(TokenState state) => state == TokenState.Expired ? LinkProblem.Expired : LinkProblem.Invalid;

    /// <summary>
    /// The token of an e-mailed link (<c>?token=</c>), or empty (which no check accepts) when the link carries none or
    /// more than one: a link names one token, and two cannot both be meant.
    /// </summary>
    public static string LinkToken(this HttpRequest request) => request.Query["token"] is [{ } token] ? token : "";
}

/// <summary>A problem that a browser sees as a page (its title and detail) and an API client as problem details.</summary>
public sealed class NegotiatedProblem(ProblemHttpResult problem) : IResult, IStatusCodeHttpResult
{
    public int? StatusCode => problem.StatusCode;

    public Task ExecuteAsync(HttpContext httpContext) => Pages.PrefersHtml(httpContext.Request)
        ? Pages.Render<ProblemPage>(new { problem.ProblemDetails }, problem.StatusCode).ExecuteAsync(httpContext)
        : problem.ExecuteAsync(httpContext);
}
