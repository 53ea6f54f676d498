using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PeerMatch.Functions.Groups;
using PeerMatch.Functions.Links;
using PeerMatch.Functions.Matching;
using PeerMatch.Tests.Infrastructure;

namespace PeerMatch.Tests.Security;

/// <summary>
/// Requests an attacker (or a broken client) sends, against every public and organizer route: each gets a
/// 4xx problem with the security headers, and none stores or sends anything.
/// </summary>
public sealed class HostileRequestTests : AppTest
{
    private const string Organizer = "organizer";

    /// <summary>One hostile request: what it is, and how to build it (a fresh message each time).</summary>
    private sealed record Hostile(string Name, Func<HttpRequestMessage> Build)
    {
        public override string ToString() => Name;
    }

    [Fact]
    public async Task Every_hostile_request_is_a_4xx_problem_that_stores_and_sends_nothing()
    {
        var links = await PrepareAsync();
        var corpus = Corpus(links);
        Assert.True(corpus.Count >= 200, $"The corpus has {corpus.Count} requests.");
        await App.DrainAsync();
        var storedBefore = await StorageScan.SnapshotAsync(App);
        var sentBefore = App.Outbox.All().Count;

        var failures = new List<string>();
        foreach (var hostile in corpus)
        {
            using var request = hostile.Build();
            using var response = await Client.SendAsync(request);
            var status = (int)response.StatusCode;
            var body = await response.Content.ReadAsStringAsync();
            if (status is < 400 or >= 500)
            {
                failures.Add($"{hostile}: {status} {body[..Math.Min(body.Length, 200)]}");
            }
            else if (!response.Headers.Contains("Content-Security-Policy") || !response.Headers.Contains("X-Content-Type-Options") || !response.Headers.Contains("Strict-Transport-Security"))
            {
                failures.Add($"{hostile}: {status} without the security headers");
            }
            else if (status != 404 && status != 405 && response.Content.Headers.ContentType?.MediaType is not ("application/problem+json" or "text/html"))
            {
                failures.Add($"{hostile}: {status} as {response.Content.Headers.ContentType}, not a problem");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        await App.DrainAsync();
        Assert.Equal(storedBefore, await StorageScan.SnapshotAsync(App));
        Assert.Equal(sentBefore, App.Outbox.All().Count);
    }

    /// <summary>Real links to aim at: a confirmed profile, a pending sign-up's confirmation, a suggestion and its follow-up.</summary>
    private async Task<Links> PrepareAsync()
    {
        var manage = await Intakes.SignUpAndConfirmAsync(App, Client);
        await Intakes.SignUpAndConfirmAsync(App, Client, "bea@example.org", "Bea Example");
        await Intakes.PostAsync(Client, Intakes.Valid("cy@example.org", "Cy Pending"));
        var confirm = Outbox.Relative(Outbox.Link(await App.Outbox.WaitForAsync("cy@example.org", "confirmation"), PeerMatchApp.PublicBaseUrl + "/api/confirm?token="));

        using var run = new HttpRequestMessage(HttpMethod.Post, "/api/organizer/match-runs") { Content = JsonContent.Create(new { force = true }) };
        run.Headers.Add("x-functions-key", PeerMatchApp.OrganizerKey);
        using (var started = await Client.SendAsync(run))
        {
            Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        }
        var digest = await App.Outbox.WaitForAsync("ada@example.org", "digest");
        var suggestion = Outbox.Relative(Outbox.Link(digest, PeerMatchApp.PublicBaseUrl + "/api/suggestions/"));
        var unsubscribe = Outbox.Relative(Outbox.Link(digest, PeerMatchApp.PublicBaseUrl + "/api/unsubscribe?token="));
        // A follow-up link as the one sent two weeks after an introduction.
        var adaId = (await Client.GetFromJsonAsync<JsonObject>(manage))!["id"]!.GetValue<string>();
        var suggestionId = Uri.UnescapeDataString(suggestion["/api/suggestions/".Length..suggestion.IndexOf('?', StringComparison.Ordinal)]);
        var followUp = (await App.Services.GetRequiredService<MatchingLinks>().FollowUpUrlAsync(adaId, suggestionId, default)).PathAndQuery;
        // Two more who seek a peer group, so that a formation makes ada's group: a group page link, and its check-in.
        await Intakes.SignUpAndConfirmAsync(App, Client, "dee@example.org", "Dee Example");
        await Intakes.SignUpAndConfirmAsync(App, Client, "eve@example.org", "Eve Example");
        using var again = new HttpRequestMessage(HttpMethod.Post, "/api/organizer/groups") { Content = JsonContent.Create(new { }) };
        again.Headers.Add("x-functions-key", PeerMatchApp.OrganizerKey);
        using (var formed = await Client.SendAsync(again))
        {
            Assert.Equal(HttpStatusCode.Accepted, formed.StatusCode);
        }
        var group = Outbox.Relative(Outbox.Link(await App.Outbox.WaitForAsync("ada@example.org", "group-invitation"), PeerMatchApp.PublicBaseUrl + "/api/groups/"));
        var groupId = group["/api/groups/".Length..group.IndexOf('?', StringComparison.Ordinal)];
        var checkIn = (await App.Services.GetRequiredService<GroupLinks>().GroupCheckInUrlAsync(adaId, groupId, default)).PathAndQuery;
        return new Links(manage, confirm, suggestion, followUp, unsubscribe, group, checkIn);
    }

    private sealed record Links(string Manage, string Confirm, string Suggestion, string FollowUp, string Unsubscribe, string Group, string GroupCheckIn)
    {
        public string GroupAnswer => Group.Replace("?token", "/answer?token", StringComparison.Ordinal);

        public string GroupLeave => Group.Replace("?token", "/leave?token", StringComparison.Ordinal);

        public static string Token(string link) => link[(link.IndexOf("token=", StringComparison.Ordinal) + 6)..];

        public static string With(string link, string token) => link[..(link.IndexOf("token=", StringComparison.Ordinal) + 6)] + token;

        public string SuggestionAnswer => Suggestion.Replace("?token", "/answer?token", StringComparison.Ordinal);
    }

    private static List<Hostile> Corpus(Links links)
    {
        var corpus = new List<Hostile>();
        void Add(string name, HttpMethod method, string path, Func<HttpContent?>? content = null, string? key = null, string? accept = null) =>
            corpus.Add(new Hostile($"{method} {path[..Math.Min(path.Length, 60)]}: {name}", () =>
            {
                var request = new HttpRequestMessage(method, path) { Content = content?.Invoke() };
                if (key is not null)
                {
                    request.Headers.Add("x-functions-key", key);
                }
                if (accept is not null)
                {
                    request.Headers.Accept.ParseAdd(accept);
                }
                return request;
            }));

        // Bodies no reader may fail on: to every route that reads one, with a token (or key) that opens it.
        var bodyRoutes = new (string Path, HttpMethod Method, string? Key)[]
        {
            ("/api/practitioners", HttpMethod.Post, null),
            (links.Manage, HttpMethod.Put, null),
            (links.Manage, HttpMethod.Post, null),
            (links.SuggestionAnswer, HttpMethod.Post, null),
            (links.FollowUp, HttpMethod.Post, null),
            (links.GroupAnswer, HttpMethod.Post, null),
            (links.GroupCheckIn, HttpMethod.Post, null),
            ("/api/organizer/groups", HttpMethod.Post, PeerMatchApp.OrganizerKey),
            ("/api/me/link", HttpMethod.Post, null),
            ("/api/organizer/match-runs", HttpMethod.Post, PeerMatchApp.OrganizerKey),
            ("/api/organizer/groups/proposals", HttpMethod.Post, PeerMatchApp.OrganizerKey),
            ("/api/organizer/invitations?campaign=X", HttpMethod.Post, PeerMatchApp.OrganizerKey),
            (links.Manage.Replace("/api/me?", "/api/me/invitations?", StringComparison.Ordinal), HttpMethod.Post, null),
        };
        foreach (var (path, method, key) in bodyRoutes)
        {
            Add("invalid UTF-8 in a JSON string", method, path, () => Raw([.. "{\"name\":\""u8, 0xFF, 0xFE, .. "\",\"answer\":\"yes\",\"email\":\"x\"}"u8], "application/json"), key);
            Add("a lone surrogate escape", method, path, () => Raw("{\"name\":\"\\ud800\",\"answer\":\"\\udc00\",\"email\":\"\\ud800@example.org\",\"dryRun\":\"\\ud800\"}"u8.ToArray(), "application/json"), key);
            Add("nesting 2,000 deep", method, path, () => Raw(Encoding.ASCII.GetBytes(new string('[', 2000) + new string(']', 2000)), "application/json"), key);
            Add("truncated JSON", method, path, () => Raw("{\"name\": \"Ada"u8.ToArray(), "application/json"), key);
            Add("plain text", method, path, () => Raw("answer=yes"u8.ToArray(), "text/plain"), key);
            Add("multipart without a boundary", method, path, () => Raw("--x\r\nContent-Disposition: form-data; name=\"answer\"\r\n\r\nyes\r\n--x--"u8.ToArray(), "multipart/form-data"), key);
            Add("a 10 MB form", method, path, () => Raw(Encoding.ASCII.GetBytes("answer=yes&bio=" + new string('a', 10 * 1024 * 1024)), "application/x-www-form-urlencoded"), key);
            Add("a form with %FF", method, path, () => Raw("answer=%FF&name=%C3%28&email=a%FF%40example.org"u8.ToArray(), "application/x-www-form-urlencoded"), key);
        }

        // A field given twice (which one was meant?), in JSON and in forms, to every route that reads a body.
        var intakeTwice = "{\"email\":\"dup@example.org\"," + Intakes.Valid("dup@example.org").ToJsonString()[1..];
        var invitations = links.Manage.Replace("/api/me?", "/api/me/invitations?", StringComparison.Ordinal);
        foreach (var (path, method, json, key) in new (string, HttpMethod, string, string?)[]
        {
            ("/api/practitioners", HttpMethod.Post, intakeTwice, null),
            (links.Manage, HttpMethod.Put, intakeTwice.Replace("dup@example.org", "ada@example.org", StringComparison.Ordinal), null),
            ("/api/me/link", HttpMethod.Post, "{\"email\":\"ada@example.org\",\"email\":\"ada@example.org\"}", null),
            (links.Unsubscribe, HttpMethod.Post, "{\"List-Unsubscribe\":\"One-Click\",\"List-Unsubscribe\":\"One-Click\"}", null),
            (links.SuggestionAnswer, HttpMethod.Post, "{\"answer\":\"yes\",\"answer\":\"yes\"}", null),
            (links.FollowUp, HttpMethod.Post, "{\"answer\":\"yes\",\"answer\":\"yes\"}", null),
            (links.GroupAnswer, HttpMethod.Post, "{\"answer\":\"yes\",\"answer\":\"yes\"}", null),
            (links.GroupCheckIn, HttpMethod.Post, "{\"answer\":\"yes\",\"answer\":\"yes\"}", null),
            (invitations, HttpMethod.Post, "{\"email\":\"col@example.org\",\"email\":\"col@example.org\"}", null),
            ("/api/organizer/match-runs", HttpMethod.Post, "{\"force\":true,\"force\":true}", PeerMatchApp.OrganizerKey),
            ("/api/organizer/groups", HttpMethod.Post, "{\"size\":6,\"size\":6}", PeerMatchApp.OrganizerKey),
            ("/api/organizer/groups/proposals", HttpMethod.Post, "{\"size\":6,\"size\":6}", PeerMatchApp.OrganizerKey),
            ("/api/organizer/invitations", HttpMethod.Post, "{\"campaign\":\"X\",\"campaign\":\"X\",\"recipients\":[{\"email\":\"a@example.org\"}]}", PeerMatchApp.OrganizerKey),
            ("/api/organizer/invitations", HttpMethod.Post, "{\"campaign\":\"X\",\"recipients\":[{\"email\":\"a@example.org\",\"email\":\"b@example.org\"}]}", PeerMatchApp.OrganizerKey),
        })
        {
            Add("a JSON field given twice", method, path, () => new StringContent(json, Encoding.UTF8, "application/json"), key);
        }
        foreach (var (path, form) in new[]
        {
            ("/api/me/link", "email=ada%40example.org&email=ada%40example.org"),
            (links.Unsubscribe, "List-Unsubscribe=One-Click&List-Unsubscribe=One-Click"),
            (links.SuggestionAnswer, "answer=yes&answer=no"),
            (links.GroupAnswer, "answer=yes&answer=yes"),
            (invitations, "email=col%40example.org&email=col2%40example.org"),
        })
        {
            Add("a form field given twice", HttpMethod.Post, path, () => Raw(Encoding.ASCII.GetBytes(form), "application/x-www-form-urlencoded"));
        }

        // Text that would break a header or a page, in every field that takes text.
        foreach (var (field, value) in new[]
        {
            ("name", "Eve\r\nBcc: victim@example.com"), ("name", "\u202Eevil"), ("name", "A\u200Bda"), ("name", "Nul\u0000l"),
            ("name", "C1\u0085control"), ("bio", "Line\u2028separator"), ("region.city", "Oak\u2066land"), ("name", "\uE000private"),
        })
        {
            var body = Intakes.Valid("new@example.org");
            if (field.StartsWith("region.", StringComparison.Ordinal))
            {
                body["region"]![field[7..]] = value;
            }
            else
            {
                body[field] = value;
            }
            var json = body.ToJsonString();
            Add($"{field} with {Escape(value)}", HttpMethod.Post, "/api/practitioners", () => new StringContent(json, Encoding.UTF8, "application/json"));
            var update = (JsonObject)body.DeepClone();
            update["email"] = "ada@example.org";
            var updateJson = update.ToJsonString();
            Add($"{field} with {Escape(value)}", HttpMethod.Put, links.Manage, () => new StringContent(updateJson, Encoding.UTF8, "application/json"));
        }
        var tooMany = Intakes.Valid("new@example.org");
        tooMany["models"] = new JsonArray("facilitative", "facilitative", "facilitative", "facilitative", "facilitative", "facilitative", "facilitative", "facilitative", "facilitative", "facilitative");
        Add("ten identical models", HttpMethod.Post, "/api/practitioners", () => new StringContent(tooMany.ToJsonString(), Encoding.UTF8, "application/json"));
        var twice = Intakes.Valid("new@example.org");
        twice["languages"] = new JsonArray("en", "en");
        Add("a language twice", HttpMethod.Post, "/api/practitioners", () => new StringContent(twice.ToJsonString(), Encoding.UTF8, "application/json"));
        Add("an answer with CRLF", HttpMethod.Post, links.SuggestionAnswer, () => new FormUrlEncodedContent([new("answer", "yes\r\nBcc: x@example.org")]));
        Add("an address with CRLF", HttpMethod.Post, "/api/me/link", () => JsonContent.Create(new { email = "ada@example.org\r\nBcc: x@example.org" }));
        Add("a dry run as a string", HttpMethod.Post, "/api/organizer/match-runs", () => new StringContent("{\"dryRun\":\"yes\"}", Encoding.UTF8, "application/json"), PeerMatchApp.OrganizerKey);
        Add("an unknown field", HttpMethod.Post, "/api/organizer/match-runs", () => new StringContent("{\"everyone\":true}", Encoding.UTF8, "application/json"), PeerMatchApp.OrganizerKey);

        // Forged, truncated, swapped and stretched tokens on every route that takes one.
        var token = Links.Token(links.Manage);
        var forgeries = new (string Name, string Token)[]
        {
            ("no token", ""), ("garbage", "abc"), ("truncated", token[..(token.Length / 2)]),
            ("one character changed", token[..^2] + (token[^2] == 'A' ? 'B' : 'A') + token[^1]),
            ("10,000 characters", new string('A', 10_000)), ("a NUL", "%00" + token), ("not base64", "%F0%9F%92%A9"),
            ("the confirmation's token", Links.Token(links.Confirm)),
            // The real token, spelt as a lenient decoder would still read it.
            ("padded", token + "="), ("a trailing space", token + "%20"), ("a line feed inside", token[..10] + "%0A" + token[10..]),
            ("a tab inside", token[..10] + "%09" + token[10..]), ("after an empty token", "&token=" + token), ("twice", token + "&token=" + token),
        };
        foreach (var (name, forged) in forgeries)
        {
            Add(name, HttpMethod.Get, Links.With(links.Manage, forged));
            Add(name, HttpMethod.Delete, Links.With(links.Manage, forged));
            Add(name, HttpMethod.Post, Links.With("/api/me/erase?token=", forged), () => new FormUrlEncodedContent([]), accept: "text/html");
            Add(name, HttpMethod.Post, Links.With(links.Unsubscribe, forged), () => new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));
            Add(name, HttpMethod.Get, Links.With(links.Unsubscribe, forged), accept: "text/html");
        }
        foreach (var (name, forged) in forgeries.Take(5).Append(("the profile's token", token)))
        {
            Add(name, HttpMethod.Post, Links.With(links.Confirm, forged), () => new FormUrlEncodedContent([]));
            Add(name, HttpMethod.Post, Links.With(links.SuggestionAnswer, forged), () => new FormUrlEncodedContent([new("answer", "yes")]));
        }
        foreach (var (name, forged) in forgeries.Take(5).Append(("the profile's token", token)).Append(("the check-in's token", Links.Token(links.GroupCheckIn))))
        {
            Add(name, HttpMethod.Get, Links.With(links.Group, forged), accept: "text/html");
            Add(name, HttpMethod.Post, Links.With(links.GroupAnswer, forged), () => new FormUrlEncodedContent([new("answer", "yes")]));
            Add(name, HttpMethod.Post, Links.With(links.GroupLeave, forged), () => new FormUrlEncodedContent([]));
            Add(name, HttpMethod.Post, Links.With("/api/me/group?token=", forged), () => new FormUrlEncodedContent([]));
        }
        Add("the group's token on its check-in", HttpMethod.Post, links.Group.Replace("?token", "/met?token", StringComparison.Ordinal), () => new FormUrlEncodedContent([new("answer", "yes")]));
        Add("the group's token on another group", HttpMethod.Post, links.GroupAnswer.Replace("/api/groups/g", "/api/groups/g0", StringComparison.Ordinal), () => new FormUrlEncodedContent([new("answer", "yes")]));
        Add("convene=yes", HttpMethod.Post, links.GroupAnswer, () => new FormUrlEncodedContent([new("answer", "yes"), new("convene", "yes")]));
        Add("a group answer with CRLF", HttpMethod.Post, links.GroupAnswer, () => new FormUrlEncodedContent([new("answer", "yes\r\nBcc: x@example.org")]));
        Add("maybe, in the query", HttpMethod.Post, links.GroupAnswer + "&answer=maybe", () => new FormUrlEncodedContent([]));
        Add("a group size of 50", HttpMethod.Post, "/api/organizer/groups", () => JsonContent.Create(new { size = 50 }), PeerMatchApp.OrganizerKey);
        Add("a region that is markup", HttpMethod.Post, "/api/organizer/groups", () => JsonContent.Create(new { region = "<script>" }), PeerMatchApp.OrganizerKey);
        Add("the suggestion's token on its follow-up", HttpMethod.Post, links.SuggestionAnswer.Replace("/answer?", "/met?", StringComparison.Ordinal), () => new FormUrlEncodedContent([new("answer", "yes")]));
        Add("another suggestion's id", HttpMethod.Post, links.SuggestionAnswer.Replace("/api/suggestions/", "/api/suggestions/2026-W01-", StringComparison.Ordinal), () => new FormUrlEncodedContent([new("answer", "yes")]));
        Add("an id of 5,000 characters", HttpMethod.Get, "/api/suggestions/" + new string('a', 5000) + "?token=" + token);

        // Wrong methods, odd paths.
        Add("PATCH", HttpMethod.Patch, links.Manage, () => JsonContent.Create(new { name = "Mallory" }));
        Add("DELETE", HttpMethod.Delete, "/api/practitioners");
        Add("PUT", HttpMethod.Put, links.Confirm, () => new FormUrlEncodedContent([]));
        Add("GET", HttpMethod.Get, "/api/organizer/groups/proposals", key: PeerMatchApp.OrganizerKey);
        Add("DELETE", HttpMethod.Delete, "/api/organizer/match-runs", key: PeerMatchApp.OrganizerKey);
        Add("DELETE", HttpMethod.Delete, "/api/organizer/groups", key: PeerMatchApp.OrganizerKey);
        Add("PUT", HttpMethod.Put, links.Group, () => new FormUrlEncodedContent([new("answer", "yes")]));
        Add("climbing out of assets", HttpMethod.Get, "/api/assets/..%2F..%2Fappsettings.json");
        Add("an unknown asset", HttpMethod.Get, "/api/assets/site.js");
        Add("markup as a country", HttpMethod.Get, "/api/places/%3Cscript%3E");
        Add("a run id with dots", HttpMethod.Get, "/api/organizer/match-runs/..%2F..%2Fruns", key: PeerMatchApp.OrganizerKey);

        // Organizer routes without the key, with a wrong one, or one in the query string.
        foreach (var (name, key) in new[] { ("no key", (string?)null), ("a wrong key", "wrong"), ("the key with a character less", PeerMatchApp.OrganizerKey[..^1]) })
        {
            Add(name, HttpMethod.Post, "/api/organizer/match-runs", () => JsonContent.Create(new { force = true }), key);
            Add(name, HttpMethod.Post, "/api/organizer/groups/proposals", () => JsonContent.Create(new { }), key);
            Add(name, HttpMethod.Post, "/api/organizer/groups", () => JsonContent.Create(new { }), key);
            Add(name, HttpMethod.Get, "/api/organizer/groups", key: key);
            Add(name, HttpMethod.Get, "/api/organizer/coverage", key: key);
            Add(name, HttpMethod.Get, "/api/organizer/match-runs/anything", key: key);
        }
        Add("a wrong key in the query", HttpMethod.Post, "/api/organizer/match-runs?code=wrong", () => JsonContent.Create(new { force = true }));
        foreach (var (name, key) in new[] { ("no key", (string?)null), ("a wrong key", "wrong") })
        {
            Add(name, HttpMethod.Post, "/api/organizer/invitations?campaign=X", () => Raw("email\na@example.org"u8.ToArray(), "text/csv"), key);
            Add(name, HttpMethod.Get, "/api/organizer/invitations/anything", key: key);
            Add(name, HttpMethod.Get, "/api/organizer/invitations", key: key);
            Add(name, HttpMethod.Post, "/api/organizer/invitations?dryRun=true", () => Raw("--b\r\nContent-Disposition: form-data; name=\"campaign\"\r\n\r\nX\r\n--b\r\nContent-Disposition: form-data; name=\"recipients\"; filename=\"a.csv\"\r\n\r\nemail\na@example.org\r\n--b--\r\n"u8.ToArray(), "multipart/form-data; boundary=b"), key);
        }

        // Organizers' lists that cannot be read.
        Add("a 5 MB list", HttpMethod.Post, "/api/organizer/invitations?campaign=X", () => Raw(Encoding.ASCII.GetBytes("email\n" + string.Concat(Enumerable.Repeat("someone@example.org\n", 5 * 1024 * 1024 / 20 + 1))), "text/csv"), PeerMatchApp.OrganizerKey);
        Add("a CSV with bytes that are not UTF-8", HttpMethod.Post, "/api/organizer/invitations?campaign=X", () => Raw([.. "email,name\na@example.org,"u8, 0xC3, 0x28], "text/csv"), PeerMatchApp.OrganizerKey);
        Add("a CSV without an email column", HttpMethod.Post, "/api/organizer/invitations?campaign=X", () => Raw("mail,name\na@example.org,A"u8.ToArray(), "text/csv"), PeerMatchApp.OrganizerKey);
        Add("an upload whose list is not UTF-8", HttpMethod.Post, "/api/organizer/invitations", () => Raw([.. "--b\r\nContent-Disposition: form-data; name=\"campaign\"\r\n\r\nX\r\n--b\r\nContent-Disposition: form-data; name=\"recipients\"; filename=\"a.csv\"\r\n\r\nemail\na@"u8, 0xC3, 0x28, .. "\r\n--b--\r\n"u8], "multipart/form-data; boundary=b"), PeerMatchApp.OrganizerKey);
        Add("an upload with a 1 MB part header", HttpMethod.Post, "/api/organizer/invitations", () => Raw(Encoding.ASCII.GetBytes("--b\r\nContent-Disposition: form-data; name=\"campaign\"; x=\"" + new string('a', 1024 * 1024) + "\"\r\n\r\nX\r\n--b--\r\n"), "multipart/form-data; boundary=b"), PeerMatchApp.OrganizerKey);
        Add("a CSV without a campaign", HttpMethod.Post, "/api/organizer/invitations", () => Raw("email\na@example.org"u8.ToArray(), "text/csv"), PeerMatchApp.OrganizerKey);
        Add("a campaign title with CR LF", HttpMethod.Post, "/api/organizer/invitations", () => JsonContent.Create(new { campaign = "X\r\nBcc: y", recipients = new[] { new { email = "a@example.org" } } }), PeerMatchApp.OrganizerKey);
        Add("recipients as a string", HttpMethod.Post, "/api/organizer/invitations", () => JsonContent.Create(new { campaign = "X", recipients = "a@example.org" }), PeerMatchApp.OrganizerKey);
        Add("a colleague's address with CRLF", HttpMethod.Post, links.Manage.Replace("/api/me?", "/api/me/invitations?", StringComparison.Ordinal), () => JsonContent.Create(new { email = "c@example.org\r\nBcc: x@example.org" }));
        Add("a colleague invitation with a forged token", HttpMethod.Post, "/api/me/invitations?token=" + token[..^2] + "xx", () => JsonContent.Create(new { email = "c@example.org" }));
        return corpus;
    }

    private static ByteArrayContent Raw(byte[] bytes, string mediaType)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(mediaType);
        return content;
    }

    private static string Escape(string value) => string.Concat(value.Select(c => c is < ' ' or > '~' ? $"\\u{(int)c:X4}" : c.ToString()));
}
