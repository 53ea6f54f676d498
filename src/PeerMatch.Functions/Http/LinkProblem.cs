using Microsoft.AspNetCore.Http.HttpResults;
using PeerMatch.Links;

namespace PeerMatch.Functions.Http;

/// <summary>Which kind of e-mailed link a person opened: each says what went wrong in its own words.</summary>
public enum LinkKind { Confirm, Profile, Unsubscribe, Suggestion, FollowUp }

/// <summary>What was wrong with a link: too old, not a link of ours, or what it pointed to is gone.</summary>
public enum LinkProblem { Expired, Invalid, Gone }

public static class LinkProblems
{
    public static LinkProblem From(TokenState state) => state == TokenState.Expired ? LinkProblem.Expired : LinkProblem.Invalid;

    /// <summary>The page a browser gets for a link that leads nowhere (404; an API client gets <see cref="Problems.InvalidLink"/>).</summary>
    public static RazorComponentResult<LinkProblemPage> Page(LinkKind kind, LinkProblem problem) =>
        Pages.Render<LinkProblemPage>(new { Kind = kind, Problem = problem }, StatusCodes.Status404NotFound);
}
