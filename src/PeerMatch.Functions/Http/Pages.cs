using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http.HttpResults;

namespace PeerMatch.Functions.Http;

/// <summary>
/// Server-rendered pages (Razor components in each feature's folder, framed by <see cref="PageLayout"/>):
/// readable on a phone, encoded by default, and working without scripts.
/// </summary>
public static class Pages
{
    /// <summary>A page: <typeparamref name="TPage"/> rendered with <paramref name="parameters"/> (an anonymous object of its parameters).</summary>
    public static RazorComponentResult<TPage> Render<TPage>(object parameters, int statusCode = StatusCodes.Status200OK) where TPage : IComponent =>
        new(parameters) { StatusCode = statusCode, ContentType = "text/html; charset=utf-8" };

    /// <summary>A page with no parameters.</summary>
    public static RazorComponentResult<TPage> Render<TPage>(int statusCode = StatusCodes.Status200OK) where TPage : IComponent =>
        new() { StatusCode = statusCode, ContentType = "text/html; charset=utf-8" };

    /// <summary>A browser (it accepts HTML) gets pages; an API client gets JSON and problem details.</summary>
    public static bool PrefersHtml(HttpRequest request) =>
        request.GetTypedHeaders().Accept is { Count: > 0 } accept
        && accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase) && a.Quality is not 0);

    /// <summary>Post/redirect/get: after a form's POST the browser shows <paramref name="location"/>, so a reload never posts again.</summary>
    public static SeeOther SeeOther(string location) => new(location);
}

/// <summary>303 See Other: the answer to a form's POST is a GET of <see cref="Location"/>.</summary>
public sealed class SeeOther(string location) : IResult, IStatusCodeHttpResult
{
    public string Location { get; } = location;

    public int? StatusCode => StatusCodes.Status303SeeOther;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
        httpContext.Response.Headers.Location = Location;
        return Task.CompletedTask;
    }
}
