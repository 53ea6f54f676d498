using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using PeerMatch.Tests.Infrastructure;

namespace PeerMatch.Tests.Intake;

/// <summary>Bad input gets a clear 4xx problem, stores nothing and sends nothing.</summary>
public sealed class ValidationTests : AppTest
{
    public static TheoryData<string, string, string> BrokenFields => new()
    {
        // field to change, its new value as JSON, the field the error is reported on
        { "name", "\"\"", "name" },
        { "name", "\"   \"", "name" },
        { "name", $"\"{new string('n', 101)}\"", "name" },
        { "name", "42", "name" },
        { "email", "\"not-an-address\"", "email" },
        { "email", "\"a@b\"", "email" },
        { "email", "\"two words@example.org\"", "email" },
        { "models", "[]", "models" },
        { "models", "[\"understanding-based\",\"facilitative\",\"narrative\",\"insight\"]", "models" },
        { "models", "[\"shouting\"]", "models" },
        { "models", "\"facilitative\"", "models" },
        { "region", "null", "region" },
        { "region", "\"US\"", "region" },
        { "yearsExperience", "-1", "yearsExperience" },
        { "yearsExperience", "61", "yearsExperience" },
        { "yearsExperience", "7.5", "yearsExperience" },
        { "yearsExperience", "\"seven\"", "yearsExperience" },
        { "practiceAreas", "[\"astrology\"]", "practiceAreas" },
        { "languages", "[]", "languages" },
        { "languages", "[\"klingon\"]", "languages" },
        { "languages", "[\"xx\"]", "languages" },
        { "meeting", "\"by-post\"", "meeting" },
        { "meeting", "null", "meeting" },
        { "seeking", "[]", "seeking" },
        { "seeking", "[\"clients\"]", "seeking" },
        { "willingToConvene", "\"yes\"", "willingToConvene" },
        { "bio", $"\"{new string('b', 1001)}\"", "bio" },
        { "consent", "false", "consent" },
        { "consent", "null", "consent" },
        { "pausedUntil", "\"2027-01-01\"", "pausedUntil" },
        { "nickname", "\"Ada\"", "nickname" },
        // Characters that break a header or hide what text says; letters of every script stay welcome.
        { "name", "\"Eve\\r\\nBcc: victim@example.com\"", "name" },
        { "name", "\"Nul\\u0000l\"", "name" },
        { "name", "\"C1\\u0085control\"", "name" },
        { "name", "\"\\u202Eevil\"", "name" },
        { "name", "\"A\\u200Bda\"", "name" },
        { "name", "\"\\uFEFFAda\"", "name" },
        // Names that show no letter at all: Hangul fillers, the blank Braille pattern, nothing but emoji.
        { "name", "\"\\u3164\"", "name" },
        { "name", "\"\\u2800\\u2800\"", "name" },
        { "name", "\"\\u115F\\u1160\"", "name" },
        { "name", "\"🎉\"", "name" },
        // Addresses at no domain name: an IP literal, a bare IP, an empty label.
        { "email", "\"a@[127.0.0.1]\"", "email" },
        { "email", "\"a@127.0.0.1\"", "email" },
        { "email", "\"a@example..org\"", "email" },
        { "email", "\"a@example.org..\"", "email" },
        { "email", "\"a@-example.org\"", "email" },
        { "bio", "\"Line\\u2028separator\"", "bio" },
        { "bio", "\"Tab\\tbed\"", "bio" },
        { "models", "[\"facilitative\",\"facilitative\"]", "models" },
        { "languages", "[\"en\",\"en\"]", "languages" },
        { "practiceAreas", "[\"family\",\"family\"]", "practiceAreas" },
    };

    public static TheoryData<string, string> BrokenRegions => new()
    {
        { "country", "\"ZZ\"" },
        { "country", "\"USA\"" },
        { "country", "null" },
        { "subdivision", "\"Narnia\"" },
        { "subdivision", "\"DE-BY\"" },
        { "timeZone", "\"Pacific Standard Time\"" },
        { "timeZone", "\"Mars/Olympus_Mons\"" },
        { "timeZone", "null" },
        { "city", $"\"{new string('c', 101)}\"" },
        { "city", "\"Oak\\u2066land\"" },
        { "city", "\"Oak\\nland\"" },
        { "planet", "\"Earth\"" },
    };

    [Theory]
    [MemberData(nameof(BrokenFields))]
    public async Task Each_intake_rule_is_enforced(string field, string json, string errorField)
    {
        var body = Intakes.Valid();
        body[field] = JsonNode.Parse(json);

        using var response = await Intakes.PostAsync(Client, body);

        await AssertValidationProblemAsync(response, errorField);
        await AssertNothingStoredOrSentAsync();
    }

    [Theory]
    [MemberData(nameof(BrokenRegions))]
    public async Task Each_region_rule_is_enforced(string field, string json)
    {
        var body = Intakes.Valid();
        body["region"]![field] = JsonNode.Parse(json);

        using var response = await Intakes.PostAsync(Client, body);

        await AssertValidationProblemAsync(response, "region." + field);
        await AssertNothingStoredOrSentAsync();
    }

    [Fact]
    public async Task Languages_and_regions_may_be_given_by_name_and_are_kept_as_codes()
    {
        var body = Intakes.Valid();
        body["languages"] = new JsonArray("German", "es", "greek");
        body["region"] = new JsonObject { ["country"] = "de", ["subdivision"] = "Baden-Wurttemberg", ["timeZone"] = "Europe/Berlin" };

        using var response = await Intakes.PostAsync(Client, body);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var row = Assert.Single(await App.RowsAsync("Practitioners"));
        Assert.Equal("de,es,el", row.GetString("Languages"));
        Assert.Equal(("DE", "DE-BW"), (row.GetString("Country"), row.GetString("Subdivision")));
    }

    [Fact]
    public async Task Names_cities_and_bios_in_any_script_are_welcome()
    {
        var body = Intakes.Valid(name: "Zoë Ōkubo-Nguyễn 山田 花子");
        body["region"]!["city"] = "Zürich";
        body["bio"] = "Médiatrice familiale.\r\nمحامية وسيطة. क्‍षमा (with a zero-width joiner, as Devanagari needs).";

        using var response = await Intakes.PostAsync(Client, body);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var row = Assert.Single(await App.RowsAsync("Practitioners"));
        Assert.Equal("Zoë Ōkubo-Nguyễn 山田 花子", row.GetString("Name"));
        Assert.StartsWith("Médiatrice familiale.\nمحامية", row.GetString("Bio"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("𠮷田 Yoshida")]
    [InlineData("Zoë 🎉")]
    [InlineData("Ngozi 👩🏾‍⚖️ Okafor")]
    public async Task Names_with_letters_beyond_the_first_plane_combining_marks_and_emoji_are_welcome(string name)
    {
        using var response = await Intakes.PostAsync(Client, Intakes.Valid(name: name));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(name, Assert.Single(await App.RowsAsync("Practitioners")).GetString("Name"));
    }

    [Fact]
    public async Task Two_spellings_of_one_mailbox_are_one_profile()
    {
        await Intakes.SignUpAndConfirmAsync(App, Client, "x@variant.example", "Xia First");
        App.Clock.Advance(TimeSpan.FromMinutes(11)); // past the pause between two links to one address

        foreach (var spelling in new[] { "x@variant.example.", "x@VARIANT.Example", "X@variant.example" })
        {
            using var again = await Intakes.PostAsync(Client, Intakes.Valid(spelling, "Xia Again"));
            Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        }

        var profile = Assert.Single(await App.RowsAsync("Practitioners"), p => p.RowKey == "profile");
        Assert.Equal("x@variant.example", profile.GetString("Email"));
        // The later sign-ups were told of the existing profile (a manage link), never asked to confirm a second one.
        await App.Outbox.WaitForAsync("x@variant.example", "manage-link");
        await App.DrainAsync();
        Assert.Single(App.Outbox.All(), m => m.Headers["X-PeerMatch-Kind"] == "confirmation");
        Assert.All(App.Outbox.All(), m => Assert.Equal("x@variant.example", m.To.Mailboxes.Single().Address, ignoreCase: true));
    }

    [Fact]
    public async Task A_missing_required_field_is_named()
    {
        var body = Intakes.Valid();
        body.Remove("yearsExperience");
        body.Remove("email");

        using var response = await Intakes.PostAsync(Client, body);

        var errors = await AssertValidationProblemAsync(response, "yearsExperience");
        Assert.True(errors.ContainsKey("email"));
        await AssertNothingStoredOrSentAsync();
    }

    [Fact]
    public async Task Malformed_json_is_a_400_problem()
    {
        using var response = await Client.PostAsync("/api/practitioners", new StringContent("{\"name\": \"Ada\",", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("The body is not valid JSON.", (await response.Content.ReadFromJsonAsync<JsonObject>())!["title"]!.GetValue<string>());
        await AssertNothingStoredOrSentAsync();
    }

    [Fact]
    public async Task A_json_array_instead_of_an_object_is_a_400_problem()
    {
        using var response = await Client.PostAsync("/api/practitioners", new StringContent("[1,2]", Encoding.UTF8, "application/json"));

        await AssertValidationProblemAsync(response, "$");
        await AssertNothingStoredOrSentAsync();
    }

    [Fact]
    public async Task A_wrong_content_type_is_a_415_problem()
    {
        using var response = await Client.PostAsync("/api/practitioners", new StringContent(Intakes.Valid().ToJsonString(), Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        await AssertNothingStoredOrSentAsync();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_body_over_64_KiB_is_a_413_problem(bool declaresLength)
    {
        var body = Intakes.Valid();
        body["bio"] = new string('x', 70 * 1024);
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        HttpContent content = declaresLength
            ? new ByteArrayContent(bytes)
            : new StreamContent(new NoLengthStream(bytes)); // chunked: the server must count for itself
        content.Headers.ContentType = new("application/json");

        using var response = await Client.PostAsync("/api/practitioners", content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        await AssertNothingStoredOrSentAsync();
    }

    [Fact]
    public async Task A_form_with_errors_from_a_browser_gets_a_page_listing_them()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/practitioners")
        {
            Content = new FormUrlEncodedContent([new("name", "Bea"), new("email", "nope"), new("yearsExperience", "many")]),
        };
        request.Headers.Accept.ParseAdd("text/html");

        using var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("Nothing was saved", page, StringComparison.Ordinal);
        Assert.Contains("Years of experience: Must be a whole number.", page, StringComparison.Ordinal);
        Assert.DoesNotContain("yearsExperience:", page, StringComparison.Ordinal);
        await AssertNothingStoredOrSentAsync();
    }

    [Fact]
    public async Task Too_many_sign_ups_from_one_client_get_a_429_problem_and_store_nothing_more()
    {
        await using var app = new PeerMatchApp(new() { ["PeerMatch:IntakePerMinute"] = "3" });
        using var client = app.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            using var accepted = await Intakes.PostAsync(client, Intakes.Valid(email: $"p{i}@example.org"));
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        }

        using var refused = await Intakes.PostAsync(client, Intakes.Valid(email: "p3@example.org"));

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType!.MediaType);
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Equal(3, (await app.RowsAsync("Practitioners")).Count);

        // A browser posting the form is told the same on a page.
        using var form = new HttpRequestMessage(HttpMethod.Post, "/api/practitioners") { Content = new FormUrlEncodedContent([new("name", "Ada")]) };
        form.Headers.Accept.ParseAdd("text/html");
        using var page = await client.SendAsync(form);
        Assert.Equal(HttpStatusCode.TooManyRequests, page.StatusCode);
        Assert.Contains("Too many sign-ups from here", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<Dictionary<string, string[]>> AssertValidationProblemAsync(HttpResponseMessage response, string field)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        var errors = problem!["errors"]!.AsObject().ToDictionary(e => e.Key, e => e.Value!.AsArray().Select(m => m!.GetValue<string>()).ToArray());
        Assert.True(errors.ContainsKey(field), $"Expected an error on '{field}', got: {string.Join(", ", errors.Keys)}");
        Assert.All(errors[field], message => Assert.False(string.IsNullOrWhiteSpace(message)));
        return errors;
    }

    private async Task AssertNothingStoredOrSentAsync()
    {
        Assert.Empty(await App.RowsAsync("Practitioners"));
        Assert.Empty(await App.RowsAsync("EmailIndex"));
        // Nothing queued for sending either (the queue may not even exist yet).
        var queue = App.Queue("email");
        if (await queue.ExistsAsync())
        {
            Assert.Equal(0, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
        }
        Assert.Empty(App.Outbox.All());
    }

    /// <summary>A stream that does not tell its length, so the client sends it chunked.</summary>
    private sealed class NoLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
