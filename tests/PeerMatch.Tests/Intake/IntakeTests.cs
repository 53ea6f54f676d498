using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PeerMatch.Tests.Infrastructure;

namespace PeerMatch.Tests.Intake;

public sealed class IntakeTests : IAsyncLifetime
{
    private readonly PeerMatchApp _app = new();
    private HttpClient _client = null!;

    public Task InitializeAsync()
    {
        _client = _app.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Json_intake_is_accepted_and_sends_a_confirmation_with_an_absolute_link()
    {
        using var response = await Intakes.PostAsync(_client, Intakes.Valid());

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("pending-confirmation", (await response.Content.ReadFromJsonAsync<JsonObject>())!["status"]!.GetValue<string>());

        var mail = await _app.Outbox.WaitForAsync("ada@example.org", "confirmation");
        Assert.Equal("Ada Example", mail.To.Mailboxes.Single().Name);
        Assert.Null(mail.Headers["List-Unsubscribe"]);
        var link = Outbox.Link(mail, PeerMatchApp.PublicBaseUrl + "/api/confirm?token=");
        Assert.True(link.IsAbsoluteUri);
        Assert.Contains(link.AbsoluteUri, mail.HtmlBody, StringComparison.Ordinal);

        var profile = Assert.Single(await _app.RowsAsync("Practitioners"));
        Assert.Equal("PendingConfirmation", profile.GetString("Status"));
    }

    [Fact]
    public async Task Confirm_link_activates_the_profile_and_offers_the_manage_link()
    {
        await Intakes.PostAsync(_client, Intakes.Valid());
        var mail = await _app.Outbox.WaitForAsync("ada@example.org", "confirmation");

        using var page = await _client.GetAsync(Outbox.Relative(Outbox.Link(mail, PeerMatchApp.PublicBaseUrl + "/api/confirm?token=")));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        Assert.Contains("/api/me?token=", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var profile = Assert.Single(await _app.RowsAsync("Practitioners"));
        Assert.Equal("Active", profile.GetString("Status"));
        Assert.NotNull(profile.GetDateTimeOffset("ConfirmedAt"));
    }

    [Fact]
    public async Task Form_encoded_intake_from_a_browser_without_scripts_gets_a_page()
    {
        var form = new FormUrlEncodedContent(
        [
            new("name", "Bea Form"), new("email", "bea@example.org"),
            new("models", "facilitative"), new("models", "narrative"),
            new("region.country", "DE"), new("region.subdivision", "DE-BY"), new("region.city", "München"), new("region.timeZone", "Europe/Berlin"),
            new("yearsExperience", "12"), new("meeting", "in-person"), new("practiceAreas", "workplace"),
            new("languages", "de, en"), new("seeking", "peer-group"), new("seeking", "mentor"),
            new("willingToConvene", "true"), new("bio", ""), new("consent", "true"),
        ]);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/practitioners") { Content = form };
        request.Headers.Accept.ParseAdd("text/html");

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Contains("Check your inbox", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await _app.Outbox.WaitForAsync("bea@example.org", "confirmation");
        var profile = Assert.Single(await _app.RowsAsync("Practitioners"));
        Assert.Equal("facilitative,narrative", profile.GetString("Models"));
        Assert.Equal("de,en", profile.GetString("Languages"));
        Assert.Equal("München", profile.GetString("City"));
        Assert.Null(profile.GetString("Bio"));
    }

    [Fact]
    public async Task A_known_address_gets_the_same_answer_no_second_profile_and_a_manage_link()
    {
        await Intakes.SignUpAndConfirmAsync(_app, _client);
        var first = await Intakes.PostAsync(_client, Intakes.Valid());
        var second = await Intakes.PostAsync(_client, Intakes.Valid(email: "ADA@Example.org", name: "Someone Else"));

        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal(first.Content.Headers.ContentType, second.Content.Headers.ContentType);

        var manage = await _app.Outbox.WaitForAsync("ada@example.org", "manage-link", count: 2);
        Assert.Single(await _app.RowsAsync("Practitioners"));
        Assert.Equal("Ada Example", (await _app.RowsAsync("Practitioners"))[0].GetString("Name"));
        Assert.Single(_app.Outbox.To("ada@example.org"), m => m.Headers["X-PeerMatch-Kind"] == "confirmation");

        Assert.StartsWith("<" + PeerMatchApp.PublicBaseUrl + "/api/unsubscribe?token=", manage.Headers["List-Unsubscribe"], StringComparison.Ordinal);
        Assert.Equal("List-Unsubscribe=One-Click", manage.Headers["List-Unsubscribe-Post"]);
        using var export = await _client.GetAsync(Outbox.Relative(Outbox.Link(manage, PeerMatchApp.PublicBaseUrl + "/api/me?token=")));
        Assert.Equal("ada@example.org", (await export.Content.ReadFromJsonAsync<JsonObject>())!["email"]!.GetValue<string>());
    }

    [Fact]
    public async Task Repeating_an_unconfirmed_intake_keeps_one_profile_and_sends_the_link_again()
    {
        await Intakes.PostAsync(_client, Intakes.Valid());
        await Intakes.PostAsync(_client, Intakes.Valid(name: "Ada Corrected"));

        await _app.Outbox.WaitForAsync("ada@example.org", "confirmation", count: 2);
        var profile = Assert.Single(await _app.RowsAsync("Practitioners"));
        Assert.Equal("Ada Corrected", profile.GetString("Name"));
    }

    [Fact]
    public async Task Simultaneous_intakes_for_one_address_make_one_profile()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Intakes.PostAsync(_client, Intakes.Valid())));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        Assert.Single(await _app.RowsAsync("Practitioners"));
        Assert.Single(await _app.RowsAsync("EmailIndex"));
    }

    [Fact]
    public async Task Text_that_reaches_an_email_or_a_page_is_encoded()
    {
        await Intakes.PostAsync(_client, Intakes.Valid(name: "<script>alert(1)</script> Eve"));
        var mail = await _app.Outbox.WaitForAsync("ada@example.org", "confirmation");

        Assert.DoesNotContain("<script>", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", mail.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unsubscribed_address_gets_only_a_confirmation_for_a_new_intake()
    {
        await Intakes.SignUpAndConfirmAsync(_app, _client);
        await Intakes.PostAsync(_client, Intakes.Valid());
        var manage = await _app.Outbox.WaitForAsync("ada@example.org", "manage-link");
        var unsubscribe = Outbox.Relative(Outbox.Link(manage, PeerMatchApp.PublicBaseUrl + "/api/unsubscribe?token="));

        using var page = await _client.GetAsync(unsubscribe);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Empty(await _app.RowsAsync("Suppressions"));
        using var oneClick = await _client.PostAsync(unsubscribe, new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));
        Assert.Equal(HttpStatusCode.OK, oneClick.StatusCode);
        Assert.Single(await _app.RowsAsync("Suppressions"));

        await Intakes.PostAsync(_client, Intakes.Valid());
        await _app.Outbox.WaitForAsync("ada@example.org", "confirmation", count: 2);
        Assert.Single(_app.Outbox.To("ada@example.org"), m => m.Headers["X-PeerMatch-Kind"] == "manage-link");
    }

    [Fact]
    public async Task The_form_is_served_with_labels_for_every_field()
    {
        var html = await _client.GetStringAsync("/api/intake");

        foreach (var id in new[] { "name", "email", "region.country", "region.subdivision", "region.city", "region.timeZone", "yearsExperience", "languages", "bio", "consent", "willingToConvene" })
        {
            Assert.Contains($"<label for=\"{id}\"", html, StringComparison.Ordinal);
        }
        Assert.Contains("<option value=\"America/Los_Angeles\">", html, StringComparison.Ordinal);
        Assert.Contains("name=\"viewport\"", html, StringComparison.Ordinal);
    }
}
