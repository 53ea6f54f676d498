using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace PeerMatch.Tests.Infrastructure;

/// <summary>Intake bodies for tests: a valid one to start from, changed field by field.</summary>
public static class Intakes
{
    public static JsonObject Valid(string email = "ada@example.org", string name = "Ada Example") => new()
    {
        ["name"] = name,
        ["email"] = email,
        ["models"] = new JsonArray("understanding-based"),
        ["region"] = new JsonObject
        {
            ["country"] = "US",
            ["subdivision"] = "US-CA",
            ["city"] = "Oakland",
            ["timeZone"] = "America/Los_Angeles",
        },
        ["yearsExperience"] = 7,
        ["practiceAreas"] = new JsonArray("family", "workplace"),
        ["languages"] = new JsonArray("en", "es"),
        ["meeting"] = "either",
        ["seeking"] = new JsonArray("peer-group", "case-consultation", "looping-practice"),
        ["willingToConvene"] = true,
        ["bio"] = "Family mediator in the East Bay.",
        ["consent"] = true,
    };

    public static Task<HttpResponseMessage> PostAsync(HttpClient client, JsonObject body) =>
        client.PostAsync("/api/practitioners", JsonContent.Create(body));

    /// <summary>Signs up and confirms; returns the manage link's path and query.</summary>
    public static async Task<string> SignUpAndConfirmAsync(PeerMatchApp app, HttpClient client, string email = "ada@example.org", string name = "Ada Example")
    {
        using var response = await PostAsync(client, Valid(email, name));
        response.EnsureSuccessStatusCode();
        var confirmation = await app.Outbox.WaitForAsync(email, "confirmation");
        var page = await ConfirmAsync(client, Outbox.Link(confirmation, PeerMatchApp.PublicBaseUrl + "/api/confirm?token="));
        var start = page.IndexOf("/api/me?token=", StringComparison.Ordinal);
        return System.Net.WebUtility.HtmlDecode(page[start..page.IndexOf('"', start)]);
    }

    /// <summary>Presses the confirmation page's button, as a browser does (the page is the answer); returns the page it ends on.</summary>
    public static async Task<string> ConfirmAsync(HttpClient client, Uri confirmLink)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, confirmLink.PathAndQuery) { Content = new FormUrlEncodedContent([]) };
        request.Headers.Accept.ParseAdd("text/html");
        using var confirmed = await client.SendAsync(request);
        confirmed.EnsureSuccessStatusCode();
        return await confirmed.Content.ReadAsStringAsync();
    }

    /// <summary>A GET as a browser sends it (asking for HTML).</summary>
    public static async Task<HttpResponseMessage> BrowseAsync(HttpClient client, string pathAndQuery)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery);
        request.Headers.Accept.ParseAdd("text/html");
        return await client.SendAsync(request);
    }

    /// <summary>Signs up and confirms through a SendGrid fake instead of the outbox.</summary>
    public static async Task SignUpAndConfirmViaAsync(FakeSendGrid sendGrid, HttpClient client, string email)
    {
        using var response = await PostAsync(client, Valid(email));
        response.EnsureSuccessStatusCode();
        var confirmation = await Hosting.SendGridTests.WaitForAsync(sendGrid, "confirmation");
        var text = confirmation["content"]!.AsArray().First(c => c!["type"]!.GetValue<string>() == "text/plain")!["value"]!.GetValue<string>();
        var start = text.IndexOf("/api/confirm?token=", StringComparison.Ordinal);
        var end = text.IndexOfAny([' ', '\r', '\n'], start);
        using var confirmed = await client.PostAsync(text[start..end], new FormUrlEncodedContent([]));
        confirmed.EnsureSuccessStatusCode();
    }
}
