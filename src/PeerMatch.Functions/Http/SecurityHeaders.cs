namespace PeerMatch.Functions.Http;

public static class SecurityHeaders
{
    /// <summary>
    /// Links carry tokens in their query string: no Referer may leak them to another site, and
    /// pages are never framed or sniffed.
    /// </summary>
    public static Task ApplyAsync(HttpContext context, Func<Task> next)
    {
        var headers = context.Response.Headers;
        headers["Referrer-Policy"] = "no-referrer";
        headers["X-Content-Type-Options"] = "nosniff";
        headers["X-Frame-Options"] = "DENY";
        headers.CacheControl = "no-store";
        return next();
    }
}
