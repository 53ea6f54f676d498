using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PeerMatch.Tests.Infrastructure;

namespace PeerMatch.Tests.Intake;

/// <summary>GET, PUT and DELETE /api/me: export, update, erase.</summary>
public sealed class ProfileTests : AppTest
{
    [Fact]
    public async Task Export_returns_everything_the_person_told_us()
    {
        var manage = await Intakes.SignUpAndConfirmAsync(App, Client);

        var export = await Client.GetFromJsonAsync<JsonObject>(manage);

        Assert.Equal("active", export!["status"]!.GetValue<string>());
        Assert.Equal("Ada Example", export["name"]!.GetValue<string>());
        Assert.Equal("US-CA", export["region"]!["subdivision"]!.GetValue<string>());
        Assert.Equal(7, export["yearsExperience"]!.GetValue<int>());
        Assert.Equal(["en", "es"], export["languages"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.Equal("Family mediator in the East Bay.", export["bio"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_person_following_the_link_in_a_browser_gets_a_page()
    {
        var manage = await Intakes.SignUpAndConfirmAsync(App, Client);
        using var request = new HttpRequestMessage(HttpMethod.Get, manage);
        request.Headers.Accept.ParseAdd("text/html");

        using var response = await Client.SendAsync(request);

        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("Ada Example", page, StringComparison.Ordinal);
        Assert.Contains("format=json", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_a_browser_the_profile_is_a_filled_in_form_that_saves_without_scripts()
    {
        var manage = await Intakes.SignUpAndConfirmAsync(App, Client);
        using var opened = await Intakes.BrowseAsync(Client, manage);
        var page = await opened.Content.ReadAsStringAsync();
        Assert.Contains("value=\"Ada Example\"", page, StringComparison.Ordinal);
        Assert.Matches("id=\"languages-es\"[^>]*checked", page);
        Assert.Contains("<option value=\"California\">", page, StringComparison.Ordinal); // the region field offers the country's regions by name

        var form = FormOf(("name", "Ada Renamed"), ("email", "ada@example.org"), ("models", "narrative"), ("region.country", "US"),
            ("region.subdivision", "California"), ("region.timeZone", "America/Los_Angeles"), ("yearsExperience", "9"), ("meeting", "online"),
            ("languages", "en"), ("seeking", "mentor"), ("pausedUntil", "2026-12-24"), ("consent", "true"));
        using var saved = await Client.SendAsync(BrowserPost(manage, form));

        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var after = await saved.Content.ReadAsStringAsync();
        Assert.Contains("Your changes are saved", after, StringComparison.Ordinal);
        Assert.Contains("paused until Thursday 24 December 2026", after, StringComparison.Ordinal);
        var row = Assert.Single(await App.RowsAsync("Practitioners"));
        Assert.Equal(("Ada Renamed", "2026-12-24", "US-CA"), (row.GetString("Name"), row.GetString("PausedUntil"), row.GetString("Subdivision")));
    }

    [Fact]
    public async Task A_form_with_a_past_pause_comes_back_with_the_problem_and_saves_nothing()
    {
        var manage = await Intakes.SignUpAndConfirmAsync(App, Client);
        var before = Assert.Single(await App.RowsAsync("Practitioners"));
        var form = FormOf(("name", "Ada Example"), ("email", "ada@example.org"), ("models", "narrative"), ("region.country", "US"),
            ("region.timeZone", "America/Los_Angeles"), ("yearsExperience", "9"), ("meeting", "online"), ("languages", "en"),
            ("seeking", "mentor"), ("pausedUntil", "2020-01-01"), ("consent", "true"));

        using var response = await Client.SendAsync(BrowserPost(manage, form));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Pause until: Choose a date after today", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before.ETag, Assert.Single(await App.RowsAsync("Practitioners")).ETag);
    }

    [Fact]
    public async Task Erasing_from_the_page_asks_first_then_shows_nothing_of_the_profile()
    {
        var manage = await Intakes.SignUpAndConfirmAsync(App, Client);
        var erase = manage.Replace("/api/me?", "/api/me/erase?", StringComparison.Ordinal);

        using var asked = await Intakes.BrowseAsync(Client, erase);
        Assert.Contains("Erase your profile?", await asked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Single(await App.RowsAsync("Practitioners"));

        using var erased = await Client.SendAsync(BrowserPost(erase, FormOf()));
        var page = await erased.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        Assert.Contains("Your profile is erased", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Ada", page, StringComparison.Ordinal);
        Assert.Empty(await App.RowsAsync("Practitioners"));
        using var reopened = await Intakes.BrowseAsync(Client, manage);
        Assert.Equal(HttpStatusCode.NotFound, reopened.StatusCode);
        Assert.Contains("This profile no longer exists", await reopened.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_or_expired_link_in_a_browser_gets_a_page_that_says_which_and_offers_a_new_link()
    {
        var manage = await Intakes.SignUpAndConfirmAsync(App, Client);
        var tampered = manage[..^4] + (manage[^4] == 'A' ? "B" : "A") + manage[^3..];

        using var bad = await Intakes.BrowseAsync(Client, tampered);
        App.Clock.Advance(TimeSpan.FromDays(31));
        using var expired = await Intakes.BrowseAsync(Client, manage);

        Assert.Equal(HttpStatusCode.NotFound, bad.StatusCode);
        Assert.Equal("text/html", bad.Content.Headers.ContentType!.MediaType);
        var badPage = await bad.Content.ReadAsStringAsync();
        Assert.Contains("This link does not work", badPage, StringComparison.Ordinal);
        Assert.Contains("action=\"/api/me/link\"", badPage, StringComparison.Ordinal);
        Assert.Contains("This link has expired", await expired.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_replaces_the_profile_and_sets_a_pause()
    {
        var manage = await Intakes.SignUpAndConfirmAsync(App, Client);
        var body = Intakes.Valid();
        body["models"] = new JsonArray("transformative", "narrative");
        body["yearsExperience"] = 8;
        body["pausedUntil"] = "2027-01-15"; // the clock stands at 2 November 2026

        using var response = await Client.PutAsJsonAsync(manage, body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var row = Assert.Single(await App.RowsAsync("Practitioners"));
        Assert.Equal("transformative,narrative", row.GetString("Models"));
        Assert.Equal(8, row.GetInt32("YearsExperience"));
        Assert.Equal("2027-01-15", row.GetString("PausedUntil"));
        Assert.Equal("Active", row.GetString("Status"));
    }

    [Fact]
    public async Task An_invalid_update_changes_nothing()
    {
        var manage = await Intakes.SignUpAndConfirmAsync(App, Client);
        var before = Assert.Single(await App.RowsAsync("Practitioners"));
        var body = Intakes.Valid();
        body["yearsExperience"] = 99;
        body["pausedUntil"] = "next week";

        using var response = await Client.PutAsJsonAsync(manage, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("yearsExperience"));
        Assert.True(errors.ContainsKey("pausedUntil"));
        Assert.Equal(before.ETag, Assert.Single(await App.RowsAsync("Practitioners")).ETag);
    }

    [Theory]
    [InlineData("2026-11-02")] // today: the pause would end before it began
    [InlineData("2020-01-01")]
    [InlineData("2027-11-03")] // more than a year ahead
    public async Task A_pause_must_end_after_today_and_within_a_year(string until)
    {
        var manage = await Intakes.SignUpAndConfirmAsync(App, Client);
        var body = Intakes.Valid();
        body["pausedUntil"] = until;

        using var response = await Client.PutAsJsonAsync(manage, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject().ContainsKey("pausedUntil"));
        Assert.Null(Assert.Single(await App.RowsAsync("Practitioners")).GetString("PausedUntil"));
    }

    [Fact]
    public async Task A_pause_that_has_ended_is_none_and_the_profile_saves_as_it_comes()
    {
        var manage = await Intakes.SignUpAndConfirmAsync(App, Client);
        var body = Intakes.Valid();
        body["pausedUntil"] = "2026-11-20";
        (await Client.PutAsJsonAsync(manage, body)).EnsureSuccessStatusCode();
        App.Clock.Advance(TimeSpan.FromDays(20)); // past the 20th

        var export = (await Client.GetFromJsonAsync<JsonObject>(manage))!;
        foreach (var readOnly in new[] { "id", "status", "createdAt", "updatedAt", "confirmedAt", "unsubscribed", "laterSignUps", "stored" })
        {
            export.Remove(readOnly);
        }
        export["consent"] = true;
        using var saved = await Client.PutAsJsonAsync(manage, export);

        Assert.Null(export["pausedUntil"]);
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        using var page = await Intakes.BrowseAsync(Client, manage);
        Assert.DoesNotContain("paused until", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_address_cannot_be_changed_by_an_update()
    {
        var manage = await Intakes.SignUpAndConfirmAsync(App, Client);

        using var response = await Client.PutAsJsonAsync(manage, Intakes.Valid(email: "mallory@example.org"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject().ContainsKey("email"));
        Assert.Equal("ada@example.org", Assert.Single(await App.RowsAsync("Practitioners")).GetString("Email"));
    }

    [Fact]
    public async Task Erase_removes_every_row_that_names_the_person()
    {
        var manage = await Intakes.SignUpAndConfirmAsync(App, Client);
        App.Clock.Advance(TimeSpan.FromMinutes(11));
        await Intakes.PostAsync(Client, Intakes.Valid()); // a manage-link delivery is recorded too
        await App.Outbox.WaitForAsync("ada@example.org", "manage-link");
        await Intakes.SignUpAndConfirmAsync(App, Client, "bea@example.org", "Bea Bystander");
        var id = (await Client.GetFromJsonAsync<JsonObject>(manage))!["id"]!.GetValue<string>();
        Assert.NotEmpty(await StorageScan.NamingAsync(App, id));

        using var response = await Client.DeleteAsync(manage);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(await StorageScan.NamingAsync(App, id, "ada@example.org", "Ada Example"));
        using var after = await Client.GetAsync(manage);
        Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
        // The other practitioner is untouched.
        Assert.Single(await App.RowsAsync("Practitioners"), r => r.GetString("Email") == "bea@example.org");
    }

    [Fact]
    public async Task After_an_erase_the_address_can_sign_up_afresh()
    {
        var manage = await Intakes.SignUpAndConfirmAsync(App, Client);
        await Client.DeleteAsync(manage);

        await Intakes.PostAsync(Client, Intakes.Valid());

        await App.Outbox.WaitForAsync("ada@example.org", "confirmation", count: 2);
        Assert.Equal("PendingConfirmation", Assert.Single(await App.RowsAsync("Practitioners")).GetString("Status"));
    }

    private static FormUrlEncodedContent FormOf(params (string Name, string Value)[] fields) =>
        new(fields.Select(f => KeyValuePair.Create(f.Name, f.Value)));

    private static HttpRequestMessage BrowserPost(string pathAndQuery, HttpContent content)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, pathAndQuery) { Content = content };
        request.Headers.Accept.ParseAdd("text/html");
        return request;
    }
}
