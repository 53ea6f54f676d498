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
    public async Task Update_replaces_the_profile_and_sets_a_pause()
    {
        var manage = await Intakes.SignUpAndConfirmAsync(App, Client);
        var body = Intakes.Valid();
        body["models"] = new JsonArray("transformative", "narrative");
        body["yearsExperience"] = 8;
        body["pausedUntil"] = "2027-01-15";

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
        await Intakes.PostAsync(Client, Intakes.Valid()); // a manage-link delivery is recorded too
        await App.Outbox.WaitForAsync("ada@example.org", "manage-link");
        await Intakes.SignUpAndConfirmAsync(App, Client, "bea@example.org", "Bea Bystander");
        var id = (await Client.GetFromJsonAsync<JsonObject>(manage))!["id"]!.GetValue<string>();
        Assert.NotEmpty(await RowsNamingAsync(id));

        using var response = await Client.DeleteAsync(manage);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(await RowsNamingAsync(id));
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

    /// <summary>Every row of every table of this app that holds the id, the address or the name anywhere.</summary>
    private async Task<List<string>> RowsNamingAsync(string id)
    {
        var found = new List<string>();
        await foreach (var table in new Azure.Data.Tables.TableServiceClient(PeerMatchApp.StorageConnection)
            .QueryAsync(t => t.Name.CompareTo(App.Prefix) >= 0 && t.Name.CompareTo(App.Prefix + "~") < 0))
        {
            foreach (var row in await App.RowsAsync(table.Name[App.Prefix.Length..]))
            {
                var values = ((IDictionary<string, object>)row).Values.Select(v => v?.ToString() ?? "").Append(row.PartitionKey).Append(row.RowKey);
                if (values.Any(v => v.Contains(id, StringComparison.Ordinal) || v.Contains("ada@example.org", StringComparison.OrdinalIgnoreCase) || v.Contains("Ada Example", StringComparison.Ordinal)))
                {
                    found.Add($"{table.Name}/{row.PartitionKey}/{row.RowKey}");
                }
            }
        }
        return found;
    }
}
