using Microsoft.AspNetCore.Http.HttpResults;
using static System.Net.WebUtility;

namespace PeerMatch.Functions.Http;

/// <summary>Small server-rendered pages (confirmation, unsubscribe…): readable on a phone, no script needed.</summary>
public static class Pages
{
    public const string Styles = """
        body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;line-height:1.5;margin:0;color:#1f2937;background:#f9fafb}
        main{max-width:40rem;margin:0 auto;padding:1.5rem 1rem 3rem}
        h1{font-size:1.6rem;margin:.5rem 0 1rem}
        a{color:#1d4ed8}
        dt{font-weight:600}
        dd{margin:0 0 .6rem}
        button,.button{font:inherit;padding:.7rem 1.2rem;border-radius:.4rem;border:2px solid #1d4ed8;background:#1d4ed8;color:#fff;cursor:pointer;text-decoration:none;display:inline-block}
        button.secondary{background:#fff;color:#1d4ed8}
        :focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
        """;

    /// <summary>A page whose <paramref name="trustedBody"/> is already encoded; the title is encoded here.</summary>
    public static ContentHttpResult Html(string title, string trustedBody, int statusCode = StatusCodes.Status200OK) =>
        TypedResults.Content($"""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{HtmlEncode(title)} · PeerMatch</title>
            <style>{Styles}</style>
            </head>
            <body><main>
            <h1>{HtmlEncode(title)}</h1>
            {trustedBody}
            </main></body>
            </html>
            """, "text/html; charset=utf-8", statusCode: statusCode);

    /// <summary>Where the sign-up form is: pages point people back to it.</summary>
    public static readonly string IntakeFormPath = PeerMatch.Links.Routes.Path(PeerMatch.Links.Routes.IntakeForm);

    public static bool PrefersHtml(HttpRequest request) =>
        request.GetTypedHeaders().Accept is { Count: > 0 } accept
        && accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));
}
