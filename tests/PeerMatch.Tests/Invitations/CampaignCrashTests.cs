using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using PeerMatch.Tests.Infrastructure;

namespace PeerMatch.Tests.Invitations;

/// <summary>
/// The app's process killed (SIGKILL) in the middle of a 2,000-address campaign, and started again: nobody is lost,
/// nobody gets it twice, and the progress says what happened.
/// </summary>
[Collection(RunAlone.Name)]
public sealed class CampaignCrashTests
{
    private const int Size = 2_000;

    [Fact]
    public async Task Killed_while_writing_to_the_outbox_the_restarted_app_invites_every_address_exactly_once()
    {
        await using var storage = new PeerMatchApp(); // its table prefix and outbox folder, and the tables removed afterwards
        var settings = Settings(storage);
        var outbox = new DirectoryInfo(storage.OutboxPath);

        JsonObject receipt;
        Dictionary<string, byte[]> writtenBeforeTheKill;
        await using (var first = await AppProcess.StartAsync(settings))
        {
            using var client = first.OrganizerClient();
            receipt = await PostCampaignAsync(client);
            // Kill once the first few hundred are written: one shard part-way, the other not begun.
            await WaitForAsync(() => Invitations(outbox).Count >= 300, first);
            first.Kill();
            writtenBeforeTheKill = Invitations(outbox).ToDictionary(f => f.Name, f => File.ReadAllBytes(f.FullName));
        }
        Assert.InRange(writtenBeforeTheKill.Count, 300, Size - 1);

        await using var second = await AppProcess.StartAsync(settings);
        using var organizer = second.OrganizerClient();
        var progress = await WaitUntilNothingPendingAsync(organizer, receipt, second);

        Assert.Equal((Size, Size, 0, 0, 0), Counts(progress));
        var files = Invitations(outbox);
        var addresses = files.Select(f => StandardMime.Load(f.FullName).To.Mailboxes.Single().Address).ToList();
        Assert.Equal(Size, addresses.Count);
        Assert.Equal(Addresses().Order(), addresses.Order());
        // What was written before the kill was not written again: the restarted app asked the outbox who had it.
        Assert.All(writtenBeforeTheKill, f => Assert.Equal(f.Value, File.ReadAllBytes(Path.Combine(outbox.FullName, f.Key))));
        Assert.All(outbox.EnumerateFiles(), f => Assert.EndsWith(".eml", f.Name, StringComparison.Ordinal)); // nothing half-written in sight
    }

    [Fact]
    public async Task Killed_while_SendGrid_holds_its_request_the_restarted_app_sends_the_rest_and_reports_the_request_in_doubt()
    {
        await using var sendGrid = await FakeSendGrid.StartAsync();
        sendGrid.HoldAnswers = true;
        await using var storage = new PeerMatchApp();
        var settings = new Dictionary<string, string>(Settings(storage))
        {
            ["SendGrid__ApiKey"] = "SG.test-key",
            ["SendGrid__Host"] = sendGrid.Address.AbsoluteUri,
        };

        JsonObject receipt;
        await using (var first = await AppProcess.StartAsync(settings))
        {
            using var client = first.OrganizerClient();
            receipt = await PostCampaignAsync(client);
            // SendGrid has the first shard's request; its answer never reaches the app.
            await WaitForAsync(() => !sendGrid.Accepted.IsEmpty, first);
            first.Kill();
        }
        sendGrid.HoldAnswers = false;

        await using var second = await AppProcess.StartAsync(settings);
        using var organizer = second.OrganizerClient();
        var progress = await WaitUntilNothingPendingAsync(organizer, receipt, second);

        // The other shard is sent; the interrupted one is neither sent again nor called failed.
        Assert.Equal((Size, 1_000, 0, 0, 1_000), Counts(progress));
        Assert.Equal(2, sendGrid.Accepted.Count);
        // The organizer finds the request in SendGrid's activity (by the shard its custom_args name) and counts it as sent.
        using var resolved = await organizer.PostAsJsonAsync($"/api/organizer/invitations/{receipt["campaignId"]}/in-doubt", new { resolve = "sent" });
        Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);
        Assert.Equal((Size, Size, 0, 0, 0), Counts((await resolved.Content.ReadFromJsonAsync<JsonObject>())!["progress"]!.AsObject()));
        Assert.Equal(Addresses().Order(), sendGrid.AcceptedRecipients().Order()); // each address exactly once
    }

    /// <summary>The standalone app on the test's Azurite, with a short lease so that a killed worker's work is taken over within seconds.</summary>
    private static Dictionary<string, string> Settings(PeerMatchApp storage) => new()
    {
        ["AzureWebJobsStorage"] = PeerMatchApp.StorageConnection,
        ["PeerMatch__TablePrefix"] = storage.Prefix,
        ["PeerMatch__OrganizerKey"] = PeerMatchApp.OrganizerKey,
        ["PeerMatch__PublicBaseUrl"] = PeerMatchApp.PublicBaseUrl,
        ["PeerMatch__ClaimLease"] = "00:00:03",
        ["PeerMatch__QueuePollInterval"] = "00:00:00.100",
        ["PeerMatch__RunTimers"] = "false",
        ["Email__OutboxPath"] = storage.OutboxPath,
        ["Logging__LogLevel__Default"] = "Warning",
    };

    private static IEnumerable<string> Addresses() => Enumerable.Range(0, Size).Select(i => $"crash{i}@example.org");

    private static async Task<JsonObject> PostCampaignAsync(HttpClient client)
    {
        var csv = new StringBuilder("email,name\n");
        foreach (var (address, i) in Addresses().Select((a, i) => (a, i)))
        {
            csv.Append(address).Append(",Person ").Append(i).Append('\n');
        }
        using var response = await client.PostAsync("/api/organizer/invitations?campaign=Crash%20test", new StringContent(csv.ToString(), Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var receipt = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(Size, receipt["accepted"]!.GetValue<int>());
        return receipt;
    }

    private static List<FileInfo> Invitations(DirectoryInfo outbox)
    {
        outbox.Refresh(); // a DirectoryInfo keeps what it first saw: the folder appears with the first message
        return outbox.Exists ? outbox.EnumerateFiles("invitation-*.eml").ToList() : [];
    }

    private static (int Total, int Sent, int Pending, int Failed, int InDoubt) Counts(JsonObject progress) =>
        (progress["total"]!.GetValue<int>(), progress["sent"]!.GetValue<int>(), progress["pending"]!.GetValue<int>(), progress["failed"]!.GetValue<int>(), progress["inDoubt"]!.GetValue<int>());

    private static Task WaitForAsync(Func<bool> condition, AppProcess app) =>
        Eventually.UntilAsync(condition, $"the campaign to get that far (the app's last words: {app.Tail})", TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(10));

    private static Task<JsonObject> WaitUntilNothingPendingAsync(HttpClient client, JsonObject receipt, AppProcess app) =>
        Eventually.Async(async () => (await client.GetFromJsonAsync<JsonObject>($"/api/organizer/invitations/{receipt["campaignId"]}"))!,
            progress => progress["pending"]!.GetValue<int>() == 0, $"nothing pending (the app's last words: {app.Tail})", TimeSpan.FromSeconds(90), TimeSpan.FromMilliseconds(200));
}
