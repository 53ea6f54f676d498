using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PeerMatch.Functions.Intake;
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
    public async Task Opening_the_confirm_link_changes_nothing_and_its_button_activates_the_profile()
    {
        await Intakes.PostAsync(Client, Intakes.Valid());
        var mail = await App.Outbox.WaitForAsync("ada@example.org", "confirmation");
        var link = Outbox.Link(mail, PeerMatchApp.PublicBaseUrl + "/api/confirm?token=");

        using var opened = await Intakes.BrowseAsync(Client, link.PathAndQuery);
        var button = await opened.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        Assert.Contains("Confirm my address", button, StringComparison.Ordinal);
        Assert.Equal("PendingConfirmation", Assert.Single(await App.RowsAsync("Practitioners")).GetString("Status"));

        var page = await Intakes.ConfirmAsync(Client, link);

        Assert.Contains("Your profile is active", page, StringComparison.Ordinal);
        Assert.Contains("/api/me?token=", page, StringComparison.Ordinal);
        var profile = Assert.Single(await App.RowsAsync("Practitioners"));
        Assert.Equal("Active", profile.GetString("Status"));
        Assert.NotNull(profile.GetDateTimeOffset("ConfirmedAt"));
        // Reloading the page, or opening the link again, shows the state and asks nothing more.
        using var again = await Intakes.BrowseAsync(Client, link.PathAndQuery);
        Assert.Contains("Your profile is active", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_api_client_confirms_with_a_post_and_gets_json()
    {
        await Intakes.PostAsync(Client, Intakes.Valid());
        var link = Outbox.Link(await App.Outbox.WaitForAsync("ada@example.org", "confirmation"), PeerMatchApp.PublicBaseUrl + "/api/confirm?token=");

        var before = await Client.GetFromJsonAsync<JsonObject>(link.PathAndQuery);
        using var confirmed = await Client.PostAsync(link.PathAndQuery, null);

        Assert.Equal("pending-confirmation", before!["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Equal("active", (await confirmed.Content.ReadFromJsonAsync<JsonObject>())!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Form_encoded_intake_from_a_browser_without_scripts_gets_a_page()
    {
        var form = new FormUrlEncodedContent(
        [
            new("name", "Bea Form"), new("email", "bea@example.org"),
            new("models", "facilitative"), new("models", "narrative"),
            new("region.country", "DE"), new("region.subdivision", "Bayern"), new("region.city", "München"), new("region.timeZone", "Europe/Berlin"),
            new("yearsExperience", "12"), new("meeting", "in-person"), new("practiceAreas", "workplace"),
            new("languages", "de"), new("languages", "en"), new("seeking", "peer-group"), new("seeking", "mentor"),
            new("willingToConvene", "true"), new("bio", ""), new("consent", "true"),
        ]);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/practitioners") { Content = form };
        request.Headers.Accept.ParseAdd("text/html");

        using var response = await Client.SendAsync(request);

        // Post/redirect/get: the browser lands on a page it can reload without sending the form again.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.EndsWith("/api/intake/sent", response.RequestMessage!.RequestUri!.AbsolutePath, StringComparison.Ordinal);
        Assert.Contains("Check your inbox", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await App.Outbox.WaitForAsync("bea@example.org", "confirmation");
        var profile = Assert.Single(await App.RowsAsync("Practitioners"));
        Assert.Equal("facilitative,narrative", profile.GetString("Models"));
        Assert.Equal("de,en", profile.GetString("Languages"));
        Assert.Equal("München", profile.GetString("City"));
        Assert.Equal("DE-BY", profile.GetString("Subdivision"));
        Assert.Null(profile.GetString("Bio"));
    }

    [Fact]
    public async Task A_form_with_mistakes_comes_back_filled_in_with_each_problem_in_words()
    {
        var form = new FormUrlEncodedContent(
        [
            new("name", "Bea Form"), new("email", "bea@example"), new("models", "facilitative"),
            new("region.country", "DE"), new("region.subdivision", "Narnia"), new("region.timeZone", "Europe/Berlin"),
            new("yearsExperience", "12"), new("meeting", "online"), new("seeking", "peer-group"), new("consent", "true"),
        ]);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/practitioners") { Content = form };
        request.Headers.Accept.ParseAdd("text/html");

        using var response = await Client.SendAsync(request);
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Some fields need attention", page, StringComparison.Ordinal);
        Assert.Contains("E-mail address:", page, StringComparison.Ordinal);
        Assert.Contains("State, province or region: We do not know", page, StringComparison.Ordinal);
        Assert.Contains("Languages: Choose at least one language.", page, StringComparison.Ordinal);
        Assert.DoesNotContain("region.subdivision:", page, StringComparison.Ordinal);
        Assert.Contains("value=\"Bea Form\"", page, StringComparison.Ordinal);
        Assert.Contains("value=\"Narnia\"", page, StringComparison.Ordinal);
        Assert.Empty(await App.RowsAsync("Practitioners"));
    }

    [Fact]
    public async Task A_known_address_gets_the_same_answer_no_second_profile_and_a_manage_link()
    {
        await Intakes.SignUpAndConfirmAsync(App, Client);
        App.Clock.Advance(TimeSpan.FromMinutes(11));
        var first = await Intakes.PostAsync(Client, Intakes.Valid());
        App.Clock.Advance(TimeSpan.FromMinutes(11));
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
    public async Task Repeating_an_unconfirmed_intake_never_overwrites_the_first_and_each_link_confirms_its_own_sign_up()
    {
        await Intakes.PostAsync(Client, Intakes.Valid());
        for (var i = 0; i < 12; i++)
        {
            App.Clock.Advance(TimeSpan.FromSeconds(40));
            await Intakes.PostAsync(Client, Intakes.Valid(name: "Mallory"));
        }
        await App.DrainAsync();

        // Within minutes repeats are dropped: one link whoever asks, and nobody can rewrite a profile they cannot confirm.
        Assert.Single(App.Outbox.To("ada@example.org"));
        var profile = Assert.Single(await App.RowsAsync("Practitioners"));
        Assert.Equal("Ada Example", profile.GetString("Name"));

        // Later, another link goes out for the later sign-up, kept beside the first.
        App.Clock.Advance(TimeSpan.FromMinutes(2));
        await Intakes.PostAsync(Client, Intakes.Valid(name: "Ada Corrected"));
        var first = await App.Outbox.WaitForAsync("ada@example.org", "confirmation");
        var second = await App.Outbox.WaitForAsync("ada@example.org", "confirmation", count: 2);
        Assert.Equal("Ada Example", (await App.RowsAsync("Practitioners")).Single(r => r.RowKey == "profile").GetString("Name"));

        // The owner follows the link of the sign-up they mean; the other one then changes nothing.
        await Intakes.ConfirmAsync(Client, Outbox.Link(second, PeerMatchApp.PublicBaseUrl + "/api/confirm?token="));
        var page = await Intakes.ConfirmAsync(Client, Outbox.Link(first, PeerMatchApp.PublicBaseUrl + "/api/confirm?token="));
        Assert.Contains("already", page, StringComparison.OrdinalIgnoreCase);
        var active = (await App.RowsAsync("Practitioners")).Single(r => r.RowKey == "profile");
        Assert.Equal("Ada Corrected", active.GetString("Name"));
        Assert.Equal("Active", active.GetString("Status"));
    }

    [Fact]
    public async Task The_same_sign_up_sent_again_is_the_first_and_its_link_confirms_that_profile()
    {
        // Two identical sign-ups (a double click): whichever request's e-mail goes out, its link is the first sign-up's.
        await Intakes.PostAsync(Client, Intakes.Valid());
        App.Clock.Advance(TimeSpan.FromMinutes(11));
        await Intakes.PostAsync(Client, Intakes.Valid());
        var again = await App.Outbox.WaitForAsync("ada@example.org", "confirmation", count: 2);

        Assert.Single(await App.RowsAsync("Practitioners"));
        var page = await Intakes.ConfirmAsync(Client, Outbox.Link(again, PeerMatchApp.PublicBaseUrl + "/api/confirm?token="));
        Assert.Contains("Your profile is active", page, StringComparison.Ordinal);
        Assert.Equal("Active", Assert.Single(await App.RowsAsync("Practitioners")).GetString("Status"));
    }

    [Fact]
    public async Task The_nightly_purge_forgets_a_sign_up_only_once_its_last_link_has_expired()
    {
        await Intakes.PostAsync(Client, Intakes.Valid());
        await Intakes.PostAsync(Client, Intakes.Valid(email: "bo@example.org", name: "Bo Example"));
        await App.Outbox.WaitForAsync("bo@example.org", "confirmation");
        // On day 6 Ada, who lost her e-mail, asks for a new link; Bo asks for nothing.
        App.Clock.Advance(TimeSpan.FromDays(6));
        using var asked = await Client.PostAsJsonAsync("/api/me/link", new { email = "ada@example.org" });
        var renewed = await App.Outbox.WaitForAsync("ada@example.org", "confirmation", count: 2);

        App.Clock.Advance(TimeSpan.FromDays(4));
        await ActivatorUtilities.CreateInstance<PurgeUnconfirmedFunction>(App.Services).RunAsync(null!, default);

        Assert.Equal(["Ada Example"], (await App.RowsAsync("Practitioners")).Where(r => r.RowKey == "profile").Select(r => r.GetString("Name")));
        await Intakes.ConfirmAsync(Client, Outbox.Link(renewed, PeerMatchApp.PublicBaseUrl + "/api/confirm?token="));
        Assert.Equal("Active", (await App.RowsAsync("Practitioners")).Single(r => r.RowKey == "profile").GetString("Status"));

        // Unconfirmed after that link's seven days (and the two an e-mail outage could add): forgotten.
        await Intakes.PostAsync(Client, Intakes.Valid(email: "cy@example.org", name: "Cy Example"));
        App.Clock.Advance(TimeSpan.FromDays(10));
        await ActivatorUtilities.CreateInstance<PurgeUnconfirmedFunction>(App.Services).RunAsync(null!, default);
        Assert.DoesNotContain(await App.RowsAsync("Practitioners"), r => r.GetString("Name") == "Cy Example");
    }

    [Fact]
    public async Task Asking_for_a_new_link_sends_one_to_a_known_address_and_the_same_answer_for_any()
    {
        await Intakes.SignUpAndConfirmAsync(App, Client);
        App.Clock.Advance(TimeSpan.FromMinutes(11));

        using var known = await Client.PostAsJsonAsync("/api/me/link", new { email = "ADA@example.org" });
        using var unknown = await Client.PostAsJsonAsync("/api/me/link", new { email = "nobody@example.org" });
        using var invalid = await Client.PostAsJsonAsync("/api/me/link", new { email = "not an address" });

        Assert.Equal(HttpStatusCode.Accepted, known.StatusCode);
        Assert.Equal(await known.Content.ReadAsStringAsync(), await unknown.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var manage = await App.Outbox.WaitForAsync("ada@example.org", "manage-link");
        using var export = await Client.GetAsync(Outbox.Relative(Outbox.Link(manage, PeerMatchApp.PublicBaseUrl + "/api/me?token=")));
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        await App.DrainAsync();
        Assert.Empty(App.Outbox.To("nobody@example.org"));
    }

    [Fact]
    public async Task Simultaneous_sign_ups_for_a_known_address_send_one_profile_link()
    {
        await Intakes.SignUpAndConfirmAsync(App, Client);
        App.Clock.Advance(TimeSpan.FromMinutes(11));

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Intakes.PostAsync(Client, Intakes.Valid())));
        await App.DrainAsync();

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        Assert.Single(App.Outbox.To("ada@example.org"), m => m.Headers["X-PeerMatch-Kind"] == "manage-link");
        Assert.Equal("Active", Assert.Single(await App.RowsAsync("Practitioners")).GetString("Status"));
    }

    [Fact]
    public async Task A_browser_asking_for_a_new_link_with_a_bad_address_gets_the_form_back_with_the_problem()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/me/link") { Content = new FormUrlEncodedContent([new("email", "a@b")]) };
        request.Headers.Accept.ParseAdd("text/html");

        using var response = await Client.SendAsync(request);
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("E-mail address:", page, StringComparison.Ordinal);
        Assert.Contains("value=\"a@b\"", page, StringComparison.Ordinal);
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
    public async Task An_unsubscribed_address_gets_one_confirmation_a_day_and_only_its_pressed_button_subscribes_again()
    {
        await Intakes.SignUpAndConfirmAsync(App, Client);
        App.Clock.Advance(TimeSpan.FromMinutes(11));
        await Intakes.PostAsync(Client, Intakes.Valid());
        var manage = await App.Outbox.WaitForAsync("ada@example.org", "manage-link");
        var unsubscribe = Outbox.Relative(Outbox.Link(manage, PeerMatchApp.PublicBaseUrl + "/api/unsubscribe?token="));

        using var page = await Client.GetAsync(unsubscribe);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Empty(await App.RowsAsync("Suppressions"));
        using var oneClick = await Client.PostAsync(unsubscribe, new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));
        Assert.Equal(HttpStatusCode.OK, oneClick.StatusCode);
        Assert.Single(await App.RowsAsync("Suppressions"));
        using var reopened = await Intakes.BrowseAsync(Client, unsubscribe);
        Assert.Contains("already unsubscribed", await reopened.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Whoever signs the address up again, it gets one confirmation a day and nothing else.
        App.Clock.Advance(TimeSpan.FromMinutes(11));
        await Intakes.PostAsync(Client, Intakes.Valid());
        await App.DrainAsync();
        Assert.Single(App.Outbox.To("ada@example.org"), m => m.Headers["X-PeerMatch-Kind"] == "confirmation");
        App.Clock.Advance(TimeSpan.FromDays(1));
        // "Send me a new link" is not a sign-up: nothing goes to the address, though the answer is the same.
        using var asked = await Client.PostAsJsonAsync("/api/me/link", new { email = "ada@example.org" });
        Assert.Equal(HttpStatusCode.Accepted, asked.StatusCode);
        await App.DrainAsync();
        Assert.Single(App.Outbox.To("ada@example.org"), m => m.Headers["X-PeerMatch-Kind"] == "confirmation");
        for (var i = 0; i < 3; i++)
        {
            await Intakes.PostAsync(Client, Intakes.Valid());
            App.Clock.Advance(TimeSpan.FromMinutes(11));
        }
        var again = await App.Outbox.WaitForAsync("ada@example.org", "confirmation", count: 2);
        await App.DrainAsync();
        Assert.Equal(2, App.Outbox.To("ada@example.org").Count(m => m.Headers["X-PeerMatch-Kind"] == "confirmation"));
        Assert.Single(App.Outbox.To("ada@example.org"), m => m.Headers["X-PeerMatch-Kind"] == "manage-link");

        // Opening the link (as a mail scanner does) changes nothing; pressing its button subscribes again.
        var confirmLink = Outbox.Link(again, PeerMatchApp.PublicBaseUrl + "/api/confirm?token=");
        using var scanned = await Client.GetAsync(Outbox.Relative(confirmLink));
        Assert.Equal(HttpStatusCode.OK, scanned.StatusCode);
        Assert.Single(await App.RowsAsync("Suppressions"));
        await Intakes.ConfirmAsync(Client, confirmLink);
        Assert.Empty(await App.RowsAsync("Suppressions"));
    }

    [Fact]
    public async Task The_form_is_served_with_labels_for_every_field_and_names_where_codes_are_kept()
    {
        var html = await Client.GetStringAsync("/api/intake");

        foreach (var id in new[] { "name", "email", "region-country", "region-subdivision", "region-city", "region-timeZone", "yearsExperience", "bio", "consent", "willingToConvene", "languages-de", "seeking-co-mediation" })
        {
            Assert.Contains($"<label for=\"{id}\"", html, StringComparison.Ordinal);
        }
        Assert.Contains("<option value=\"America/Los_Angeles\">America/Los Angeles</option>", html, StringComparison.Ordinal);
        Assert.Contains("<option value=\"EH\">Western Sahara</option>", html, StringComparison.Ordinal);
        Assert.Contains(">German</label>", html, StringComparison.Ordinal);
        Assert.Contains(">Co-mediation</label>", html, StringComparison.Ordinal);
        Assert.Contains("name=\"viewport\"", html, StringComparison.Ordinal);
    }
}
