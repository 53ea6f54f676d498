using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PeerMatch.Tests.Infrastructure;

namespace PeerMatch.Tests.Security;

/// <summary>
/// When storage's answer to an insert is lost and the client sends the insert again, the retry finds its own
/// row: nothing fails, nothing is lost, nothing is sent twice.
/// </summary>
public sealed class LostAnswerTests
{
    [Theory]
    [InlineData("Practitioners")]
    [InlineData("EmailIndex")]
    public async Task A_sign_up_whose_insert_answer_is_lost_is_accepted_once_and_confirms(string table)
    {
        await using var proxy = await LossyTableProxy.StartAsync(table);
        await using var app = new PeerMatchApp(new() { ["AzureWebJobsStorage"] = proxy.ConnectionString });
        using var client = app.CreateClient();

        using var response = await Intakes.PostAsync(client, Intakes.Valid());
        await app.DrainAsync();

        Assert.Equal(1, proxy.Lost);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Single(await app.RowsAsync("Practitioners"));
        var confirmation = Assert.Single(app.Outbox.To("ada@example.org"));
        await Intakes.ConfirmAsync(client, Outbox.Link(confirmation, PeerMatchApp.PublicBaseUrl + "/api/confirm?token="));
        Assert.Equal("Active", Assert.Single(await app.RowsAsync("Practitioners")).GetString("Status"));
    }

    [Fact]
    public async Task An_introduction_whose_insert_answer_is_lost_still_introduces_both_once()
    {
        await using var proxy = await LossyTableProxy.StartAsync("Introductions");
        await using var app = new PeerMatchApp(new() { ["AzureWebJobsStorage"] = proxy.ConnectionString });
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Add("x-functions-key", PeerMatchApp.OrganizerKey);
        await Intakes.SignUpAndConfirmAsync(app, client, "ada@example.org", "Ada Example");
        await Intakes.SignUpAndConfirmAsync(app, client, "bea@example.org", "Bea Example");
        using (var run = await client.PostAsJsonAsync("/api/organizer/match-runs", new { force = true }))
        {
            Assert.Equal(HttpStatusCode.Accepted, run.StatusCode);
        }

        var introduced = new List<bool>();
        foreach (var address in new[] { "ada@example.org", "bea@example.org" })
        {
            var suggestion = Outbox.Relative(Outbox.Link(await app.Outbox.WaitForAsync(address, "digest"), PeerMatchApp.PublicBaseUrl + "/api/suggestions/"));
            using var answered = await client.PostAsync(suggestion.Replace("?token", "/answer?token", StringComparison.Ordinal), new FormUrlEncodedContent([new("answer", "yes")]));
            Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
            introduced.Add((await answered.Content.ReadFromJsonAsync<JsonObject>())!["introduced"]!.GetValue<bool>());
        }
        await app.Outbox.WaitForAsync("ada@example.org", "introduction");
        await app.Outbox.WaitForAsync("bea@example.org", "introduction");
        await app.DrainAsync();

        Assert.Equal(1, proxy.Lost);
        Assert.Equal([false, true], introduced); // the second "yes" is told it introduced the pair
        Assert.Single(await app.RowsAsync("Introductions"));
        Assert.Equal(2, app.Outbox.All().Count(m => m.Headers["X-PeerMatch-Kind"] == "introduction"));
    }

    [Fact]
    public async Task A_match_run_whose_insert_answer_is_lost_is_accepted_and_completes()
    {
        await using var proxy = await LossyTableProxy.StartAsync("MatchRuns");
        await using var app = new PeerMatchApp(new() { ["AzureWebJobsStorage"] = proxy.ConnectionString });
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Add("x-functions-key", PeerMatchApp.OrganizerKey);

        using var started = await client.PostAsJsonAsync("/api/organizer/match-runs", new { dryRun = true, force = true });

        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var runId = (await started.Content.ReadFromJsonAsync<JsonObject>())!["runId"]!.GetValue<string>();
        await app.DrainAsync();
        var status = await client.GetFromJsonAsync<JsonObject>($"/api/organizer/match-runs/{runId}");
        Assert.Equal("completed", status!["status"]!.GetValue<string>());
        Assert.Equal(1, proxy.Lost);
    }

    [Fact]
    public async Task A_campaign_whose_ledger_insert_answer_is_lost_counts_and_sends_each_recipient_once()
    {
        // The recipients are recorded in transactions ($batch): the first one's answer goes missing.
        await using var proxy = await LossyTableProxy.StartAsync("$batch");
        await using var app = new PeerMatchApp(new() { ["AzureWebJobsStorage"] = proxy.ConnectionString });
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Add("x-functions-key", PeerMatchApp.OrganizerKey);
        var recipients = Enumerable.Range(0, 5).Select(i => new { email = $"p{i}@example.org", name = $"P {i}" });

        using var response = await client.PostAsJsonAsync("/api/organizer/invitations", new { campaign = "Lost answer", recipients });
        var receipt = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        await app.DrainAsync();
        var progress = await client.GetFromJsonAsync<JsonObject>($"/api/organizer/invitations/{receipt["campaignId"]}");

        Assert.Equal(1, proxy.Lost);
        Assert.Equal((HttpStatusCode.Accepted, 5, 0), (response.StatusCode, receipt["accepted"]!.GetValue<int>(), receipt["duplicates"]!.GetValue<int>()));
        Assert.Equal((5, 5, 0), (progress!["total"]!.GetValue<int>(), progress["sent"]!.GetValue<int>(), progress["skipped"]!.GetValue<int>()));
        Assert.Equal(5, app.Outbox.All().Count(m => m.Headers["X-PeerMatch-Kind"] == "invitation"));
    }
}
