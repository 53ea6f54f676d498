using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PeerMatch.Tests.Infrastructure;

namespace PeerMatch.Tests.Intake;

public sealed class IntakeTests : AppTest
{
    [Fact]
    public async Task Json_intake_is_accepted_and_sends_a_confirmation_with_an_absolute_link()
    {
        using var response = await Intakes.PostAsync(Client, Intakes.Valid());

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("pending-confirmation", (await response.Content.ReadFromJsonAsync<JsonObject>())!["status"]!.GetValue<string>());

        var mail = await App.Outbox.WaitForAsync("ada@example.org", "confirmation");
        Assert.Equal("Ada Example", mail.To.Mailboxes.Single().Name);
        Assert.Null(mail.Headers["List-Unsubscribe"]);
        var link = Outbox.Link(mail, PeerMatchApp.PublicBaseUrl + "/api/confirm?token=");
        Assert.True(link.IsAbsoluteUri);
        Assert.Contains(link.AbsoluteUri, mail.HtmlBody, StringComparison.Ordinal);

        var profile = Assert.Single(await App.RowsAsync("Practitioners"));
        Assert.Equal("PendingConfirmation", profile.GetString("Status"));
    }

    [Fact]
    public async Task Confirm_link_activates_the_profile_and_offers_the_manage_link()
    {
        await Intakes.PostAsync(Client, Intakes.Valid());
        var mail = await App.Outbox.WaitForAsync("ada@example.org", "confirmation");

        using var page = await Client.GetAsync(Outbox.Relative(Outbox.Link(mail, PeerMatchApp.PublicBaseUrl + "/api/confirm?token=")));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        Assert.Contains("/api/me?token=", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var profile = Assert.Single(await App.RowsAsync("Practitioners"));
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

        using var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Contains("Check your inbox", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await App.Outbox.WaitForAsync("bea@example.org", "confirmation");
        var profile = Assert.Single(await App.RowsAsync("Practitioners"));
        Assert.Equal("facilitative,narrative", profile.GetString("Models"));
        Assert.Equal("de,en", profile.GetString("Languages"));
        Assert.Equal("München", profile.GetString("City"));
        Assert.Null(profile.GetString("Bio"));
    }

    [Fact]
    public async Task A_known_address_gets_the_same_answer_no_second_profile_and_a_manage_link()
    {
        await Intakes.SignUpAndConfirmAsync(App, Client);
        var first = await Intakes.PostAsync(Client, Intakes.Valid());
        var second = await Intakes.PostAsync(Client, Intakes.Valid(email: "ADA@Example.org", name: "Someone Else"));

        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal(first.Content.Headers.ContentType, second.Content.Headers.ContentType);

        var manage = await App.Outbox.WaitForAsync("ada@example.org", "manage-link", count: 2);
        Assert.Single(await App.RowsAsync("Practitioners"));
        Assert.Equal("Ada Example", (await App.RowsAsync("Practitioners"))[0].GetString("Name"));
        Assert.Single(App.Outbox.To("ada@example.org"), m => m.Headers["X-PeerMatch-Kind"] == "confirmation");

        Assert.StartsWith("<" + PeerMatchApp.PublicBaseUrl + "/api/unsubscribe?token=", manage.Headers["List-Unsubscribe"], StringComparison.Ordinal);
        Assert.Equal("List-Unsubscribe=One-Click", manage.Headers["List-Unsubscribe-Post"]);
        using var export = await Client.GetAsync(Outbox.Relative(Outbox.Link(manage, PeerMatchApp.PublicBaseUrl + "/api/me?token=")));
        Assert.Equal("ada@example.org", (await export.Content.ReadFromJsonAsync<JsonObject>())!["email"]!.GetValue<string>());
    }

    [Fact]
    public async Task Repeating_an_unconfirmed_intake_keeps_one_profile_and_sends_the_link_again()
    {
        await Intakes.PostAsync(Client, Intakes.Valid());
        await Intakes.PostAsync(Client, Intakes.Valid(name: "Ada Corrected"));

        await App.Outbox.WaitForAsync("ada@example.org", "confirmation", count: 2);
        var profile = Assert.Single(await App.RowsAsync("Practitioners"));
        Assert.Equal("Ada Corrected", profile.GetString("Name"));
    }

    [Fact]
    public async Task Simultaneous_intakes_for_one_address_make_one_profile()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => Intakes.PostAsync(Client, Intakes.Valid())));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        Assert.Single(await App.RowsAsync("Practitioners"));
        Assert.Single(await App.RowsAsync("EmailIndex"));
    }

    [Fact]
    public async Task Text_that_reaches_an_email_or_a_page_is_encoded()
    {
        await Intakes.PostAsync(Client, Intakes.Valid(name: "<script>alert(1)</script> Eve"));
        var mail = await App.Outbox.WaitForAsync("ada@example.org", "confirmation");

        Assert.DoesNotContain("<script>", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", mail.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unsubscribed_address_gets_only_a_confirmation_for_a_new_intake()
    {
        await Intakes.SignUpAndConfirmAsync(App, Client);
        await Intakes.PostAsync(Client, Intakes.Valid());
        var manage = await App.Outbox.WaitForAsync("ada@example.org", "manage-link");
        var unsubscribe = Outbox.Relative(Outbox.Link(manage, PeerMatchApp.PublicBaseUrl + "/api/unsubscribe?token="));

        using var page = await Client.GetAsync(unsubscribe);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Empty(await App.RowsAsync("Suppressions"));
        using var oneClick = await Client.PostAsync(unsubscribe, new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));
        Assert.Equal(HttpStatusCode.OK, oneClick.StatusCode);
        Assert.Single(await App.RowsAsync("Suppressions"));

        await Intakes.PostAsync(Client, Intakes.Valid());
        await App.Outbox.WaitForAsync("ada@example.org", "confirmation", count: 2);
        Assert.Single(App.Outbox.To("ada@example.org"), m => m.Headers["X-PeerMatch-Kind"] == "manage-link");
    }

    [Fact]
    public async Task The_form_is_served_with_labels_for_every_field()
    {
        var html = await Client.GetStringAsync("/api/intake");

        foreach (var id in new[] { "name", "email", "region.country", "region.subdivision", "region.city", "region.timeZone", "yearsExperience", "languages", "bio", "consent", "willingToConvene" })
        {
            Assert.Contains($"<label for=\"{id}\"", html, StringComparison.Ordinal);
        }
        Assert.Contains("<option value=\"America/Los_Angeles\">", html, StringComparison.Ordinal);
        Assert.Contains("name=\"viewport\"", html, StringComparison.Ordinal);
    }
}
