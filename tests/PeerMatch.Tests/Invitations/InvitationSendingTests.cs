using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PeerMatch.Email;
using PeerMatch.Functions.Intake;
using PeerMatch.Functions.Invitations;
using PeerMatch.Invitations;
using PeerMatch.Practitioners;
using PeerMatch.Tests.Infrastructure;

namespace PeerMatch.Tests.Invitations;

/// <summary>Invitations through the real SendGrid client, against a local stand-in for its API: batching, back-off, workers that race or stop.</summary>
public sealed class InvitationSendingTests
{
    [Fact]
    public async Task A_campaign_of_10000_rows_sends_each_accepted_address_once_in_one_request_per_thousand()
    {
        await using var sendGrid = await FakeSendGrid.StartAsync();
        await using var app = SendGridApp(sendGrid);
        using var client = InvitationTests.OrganizerClient(app);
        var members = new[] { "m1@example.org", "m2@example.org", "m3@example.org" };
        foreach (var member in members)
        {
            await Intakes.SignUpAndConfirmViaAsync(sendGrid, client, member);
        }
        var unsubscribed = new[] { "u1@example.org", "u2@example.org", "u3@example.org" };
        foreach (var address in unsubscribed)
        {
            await app.Services.GetRequiredService<ISuppressionList>().SuppressAsync(address, default);
        }

        // 9,300 distinct addresses (3 members, 3 unsubscribed), 500 repeats in other spellings (5 %), 200 invalid rows (2 %).
        var csv = new StringBuilder("\uFEFF Email , Name \r\n");
        var distinct = Enumerable.Range(0, 9_294).Select(i => $"person{i}@example.org").Concat(members).Concat(unsubscribed).ToList();
        var rows = distinct.Select((address, i) => i % 7 == 0 ? $"\"{address}\",\"Okafor, Ngozi {i}\"" : $"  {address} ,=HYPERLINK(\"x\") {i}")
            .Concat(Enumerable.Range(0, 500).Select(i => $"{distinct[i * 3].ToUpperInvariant()},Again"))
            .Concat(Enumerable.Range(0, 200).Select(i => $"not-an-address-{i},Nobody"))
            .ToList();
        csv.AppendJoin("\r\n", rows);
        using var response = await client.PostAsync("/api/organizer/invitations?campaign=Autumn%20network&message=Hello%20all",
            new StringContent(csv.ToString(), new UTF8Encoding(false), "text/csv"));
        var receipt = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        await app.DrainAsync(TimeSpan.FromMinutes(3));

        Assert.Equal(9_294, receipt["accepted"]!.GetValue<int>());
        Assert.Equal(500, receipt["duplicates"]!.GetValue<int>());
        Assert.Equal(3, receipt["alreadyMembers"]!.GetValue<int>());
        Assert.Equal(3, receipt["suppressed"]!.GetValue<int>());
        Assert.Equal(200, receipt["invalid"]!.AsArray().Count);
        Assert.Equal(10_001, receipt["invalid"]!.AsArray().Last()!["row"]!.GetValue<int>()); // the last of 10,000 rows, counted as a spreadsheet does: the header is row 1
        var sent = sendGrid.AcceptedRecipients();
        Assert.Equal(9_294, sent.Count);
        Assert.Equal(distinct.Take(9_294).Order(), sent.Order());
        Assert.Equal(10, sendGrid.Accepted.Count(m => m["headers"]!["X-PeerMatch-Kind"]!.GetValue<string>() == "invitation")); // ceil(9,294 / 1,000)
        var first = sendGrid.Accepted.First(m => m["personalizations"]!.AsArray().Any(p => p!["to"]![0]!["email"]!.GetValue<string>() == "person7@example.org"));
        var personalization = first["personalizations"]!.AsArray().First(p => p!["to"]![0]!["email"]!.GetValue<string>() == "person7@example.org")!;
        // The greeting's placeholder is the message's own (a nonce in it), and it stands in the text SendGrid fills.
        var greeting = personalization["substitutions"]!.AsObject().Single(p => p.Key.StartsWith("%%name-", StringComparison.Ordinal) && !p.Key.EndsWith(".html%%", StringComparison.Ordinal));
        Assert.Equal("Okafor, Ngozi 7", greeting.Value!.GetValue<string>());
        Assert.Contains(greeting.Key, first["content"]![0]!["value"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.StartsWith("<" + PeerMatchApp.PublicBaseUrl + "/api/unsubscribe?token=", personalization["headers"]!["List-Unsubscribe"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("invitation", first["headers"]!["X-PeerMatch-Kind"]!.GetValue<string>());
        var progress = await client.GetFromJsonAsync<JsonObject>($"/api/organizer/invitations/{receipt["campaignId"]}");
        Assert.Equal((9_294, 9_294, 0), (progress!["total"]!.GetValue<int>(), progress["sent"]!.GetValue<int>(), progress["pending"]!.GetValue<int>()));
    }

    [Theory]
    [InlineData(new[] { 429 })]
    [InlineData(new[] { 500, 503, 500 })]
    public async Task Failures_the_service_may_recover_from_are_retried_until_every_recipient_has_it_once(int[] failures)
    {
        await using var sendGrid = await FakeSendGrid.StartAsync();
        sendGrid.Script(failures);
        await using var app = SendGridApp(sendGrid);
        using var client = InvitationTests.OrganizerClient(app);

        var started = DateTime.UtcNow;
        var receipt = await InvitationTests.InviteAsync(client, Campaign("Retried", 1_500));
        await WaitUntilSettledAsync(app, client, receipt);

        Assert.Equal(1_500, sendGrid.AcceptedRecipients().Distinct().Count());
        Assert.Equal(1_500, sendGrid.AcceptedRecipients().Count);
        Assert.Equal(2 + failures.Length, sendGrid.Requests);
        if (failures[0] == 429)
        {
            Assert.True(DateTime.UtcNow - started >= TimeSpan.FromSeconds(sendGrid.RetryAfterSeconds), "the 429's Retry-After was not waited for");
        }
    }

    [Fact]
    public async Task A_refusal_is_recorded_as_failed_and_not_sent_again()
    {
        await using var sendGrid = await FakeSendGrid.StartAsync();
        sendGrid.Script(400);
        await using var app = SendGridApp(sendGrid);
        using var client = InvitationTests.OrganizerClient(app);

        var receipt = await InvitationTests.InviteAsync(client, Campaign("Refused", 3));
        var progress = await WaitUntilSettledAsync(app, client, receipt);

        Assert.Equal((3, 0), (progress["failed"]!.GetValue<int>(), progress["sent"]!.GetValue<int>()));
        Assert.Equal(1, sendGrid.Requests);
        Assert.Contains("400", (await app.RowsAsync("Invitations")).First().GetString("Reason"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Workers_racing_for_the_same_shards_send_each_invitation_once()
    {
        await using var sendGrid = await FakeSendGrid.StartAsync();
        await using var app = SendGridApp(sendGrid);
        using var client = InvitationTests.OrganizerClient(app);

        var receipt = await InvitationTests.InviteAsync(client, Campaign("Raced", 2_000));
        // Besides the app's own queue worker, three more on every shard at once.
        var shards = (await app.RowsAsync("Campaigns")).Where(r => r.RowKey.StartsWith("shard-", StringComparison.Ordinal))
            .Select(r => new ShardMessage(r.PartitionKey, r.RowKey["shard-".Length..])).ToList();
        await Task.WhenAll(shards.SelectMany(shard => Enumerable.Range(0, 3).Select(i => Task.Run(() =>
            app.Services.GetRequiredService<CampaignSending>().SendAsync(shard, default)))));
        await WaitUntilSettledAsync(app, client, receipt);

        Assert.Equal(2_000, sendGrid.AcceptedRecipients().Count);
        Assert.Equal(2_000, sendGrid.AcceptedRecipients().Distinct().Count());
    }

    [Fact]
    public async Task A_worker_that_stops_before_its_request_is_taken_over_and_one_that_stops_during_it_leaves_the_shard_in_doubt_for_the_organizer()
    {
        await using var sendGrid = await FakeSendGrid.StartAsync();
        var crashes = new Crashes();
        await using var app = SendGridApp(sendGrid, services =>
        {
            services.Replace(ServiceDescriptor.Singleton<IBulkEmailSender>(sp => crashes.Around(sp.GetRequiredService<PeerMatch.Functions.Email.SendGridEmailSender>())));
            services.Replace(ServiceDescriptor.Singleton<ISuppressionList>(sp => crashes.Around(sp.GetRequiredService<SuppressionTable>())));
        });
        using var client = InvitationTests.OrganizerClient(app);

        // Stops while preparing (its second look at the unsubscribed addresses; the first is the request's): the queue's
        // next attempt sends the shard.
        crashes.SuppressionLookupsBeforeCrash = 2;
        var before = await InvitationTests.InviteAsync(client, Campaign("Stopped before", 10));
        var beforeProgress = await WaitUntilSettledAsync(app, client, before);
        Assert.Equal(10, beforeProgress["sent"]!.GetValue<int>());
        Assert.True(crashes.Crashed);

        // Stops after SendGrid took the request, before it could be recorded: SendGrid cannot say whether it went out,
        // so the next attempt sends nothing and reports the shard in doubt.
        crashes.CrashAfterNextRequest = true;
        var during = await InvitationTests.InviteAsync(client, Campaign("Stopped during", 10));
        var inDoubt = await WaitUntilSettledAsync(app, client, during);
        Assert.Equal((10, 0, 0), (inDoubt["inDoubt"]!.GetValue<int>(), inDoubt["sent"]!.GetValue<int>(), inDoubt["failed"]!.GetValue<int>()));
        Assert.Equal(20, sendGrid.AcceptedRecipients().Count); // nobody twice

        // The organizer, having found the request in SendGrid's activity, counts it as sent: nothing goes out again.
        var counted = await ResolveInDoubtAsync(client, during, "sent");
        Assert.Equal(10, counted["invitations"]!.GetValue<int>());
        Assert.Equal((10, 0), (counted["progress"]!["sent"]!.GetValue<int>(), counted["progress"]!["inDoubt"]!.GetValue<int>()));
        await app.DrainAsync();
        Assert.Equal(20, sendGrid.AcceptedRecipients().Count);
        Assert.Equal(20, sendGrid.AcceptedRecipients().Distinct().Count());
        var requests = sendGrid.Requests;

        // Another campaign stopped during its request, which the organizer chooses to send again: it goes out once more.
        crashes.CrashAfterNextRequest = true;
        var again = await InvitationTests.InviteAsync(client, Campaign("Sent again", 4));
        await WaitUntilSettledAsync(app, client, again);
        var resent = await ResolveInDoubtAsync(client, again, "resend");
        Assert.Equal(4, resent["invitations"]!.GetValue<int>());
        var settled = await WaitUntilSettledAsync(app, client, again);
        Assert.Equal((4, 0), (settled["sent"]!.GetValue<int>(), settled["inDoubt"]!.GetValue<int>()));
        Assert.Equal(requests + 2, sendGrid.Requests);
        Assert.Equal(2, sendGrid.AcceptedRecipients().Count(r => r == "sent-again0@example.org")); // as the organizer was told it may
        // The requests carry the shard they send, for looking it up in SendGrid's activity.
        Assert.StartsWith(again["campaignId"]!.GetValue<string>() + "/", sendGrid.Accepted.Last()["custom_args"]!["peermatch_mailing"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deciding_on_invitations_in_doubt_takes_sent_or_resend_and_a_known_campaign()
    {
        await using var app = new PeerMatchApp();
        using var client = InvitationTests.OrganizerClient(app);
        var receipt = await InvitationTests.InviteAsync(client, Campaign("Nothing in doubt", 2));
        await WaitUntilSettledAsync(app, client, receipt);

        using var maybe = await client.PostAsJsonAsync($"/api/organizer/invitations/{receipt["campaignId"]}/in-doubt", new { resolve = "maybe" });
        using var unknown = await client.PostAsJsonAsync("/api/organizer/invitations/no-such-campaign/in-doubt", new { resolve = "sent" });
        var none = await ResolveInDoubtAsync(client, receipt, "resend");

        Assert.Equal(HttpStatusCode.BadRequest, maybe.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(0, none["invitations"]!.GetValue<int>());
        await app.DrainAsync();
        Assert.Equal(2, app.Outbox.All().Count);
    }

    private static async Task<JsonObject> ResolveInDoubtAsync(HttpClient client, JsonObject receipt, string resolve)
    {
        using var response = await client.PostAsJsonAsync($"/api/organizer/invitations/{receipt["campaignId"]}/in-doubt", new { resolve });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    [Fact]
    public async Task Someone_who_unsubscribes_between_the_post_and_the_sending_is_skipped_and_the_progress_agrees_with_the_ledger()
    {
        await using var sendGrid = await FakeSendGrid.StartAsync();
        var crashes = new Crashes { UnsubscribesBeforeSending = "late3@example.org" };
        await using var app = SendGridApp(sendGrid, services =>
            services.Replace(ServiceDescriptor.Singleton<ISuppressionList>(sp => crashes.Around(sp.GetRequiredService<SuppressionTable>()))));
        using var client = InvitationTests.OrganizerClient(app);

        var receipt = await InvitationTests.InviteAsync(client, Campaign("Late", 5));
        var progress = await WaitUntilSettledAsync(app, client, receipt);

        Assert.Equal(5, receipt["accepted"]!.GetValue<int>());
        Assert.Equal((5, 4, 1, 0), (progress["total"]!.GetValue<int>(), progress["sent"]!.GetValue<int>(), progress["skipped"]!.GetValue<int>(), progress["failed"]!.GetValue<int>()));
        Assert.DoesNotContain("late3@example.org", sendGrid.AcceptedRecipients());
        var ledger = (await app.RowsAsync("Invitations")).GroupBy(r => r.GetString("State")).ToDictionary(g => g.Key!, g => g.Count());
        Assert.Equal((4, 1), (ledger["sent"], ledger["skipped"]));
    }

    private static JsonObject Campaign(string title, int size) => new()
    {
        ["campaign"] = title,
        ["recipients"] = new JsonArray(Enumerable.Range(0, size).Select(i => (JsonNode)InvitationTests.Person($"{title.Replace(' ', '-').ToLowerInvariant()}{i}@example.org", $"Person {i}")).ToArray()),
    };

    private static PeerMatchApp SendGridApp(FakeSendGrid sendGrid, Action<IServiceCollection>? services = null) => new(new()
    {
        ["SendGrid:ApiKey"] = "SG.test-key",
        ["SendGrid:Host"] = sendGrid.Address.AbsoluteUri,
        ["PeerMatch:InvitationRetryDelay"] = "00:00:00.200",
    }, services);

    /// <summary>Waits until nothing of the campaign is pending; returns its progress.</summary>
    private static async Task<JsonObject> WaitUntilSettledAsync(PeerMatchApp app, HttpClient client, JsonObject receipt)
    {
        var progress = await Eventually.Async(async () => (await client.GetFromJsonAsync<JsonObject>($"/api/organizer/invitations/{receipt["campaignId"]}"))!,
            p => p["pending"]!.GetValue<int>() == 0, "the campaign to settle", TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(100));
        await app.DrainAsync();
        return progress;
    }

    /// <summary>Stops a worker once, the way a killed process would: while it prepares a shard, or just after its request went through.</summary>
    private sealed class Crashes
    {
        private int _lookups;

        public int SuppressionLookupsBeforeCrash { get; set; }

        public bool CrashAfterNextRequest { get; set; }

        public bool Crashed { get; private set; }

        /// <summary>An address that unsubscribes just before the worker's look at the unsubscribed (the second lookup; the first is the request's).</summary>
        public string? UnsubscribesBeforeSending { get; set; }

        public IBulkEmailSender Around(IBulkEmailSender inner) => new Sender(this, inner);

        public ISuppressionList Around(ISuppressionList inner) => new Suppressions(this, inner);

        private sealed class Sender(Crashes crashes, IBulkEmailSender inner) : IBulkEmailSender
        {
            public Task<IReadOnlySet<string>?> DeliveredAsync(BulkEmail email, CancellationToken cancellationToken) => inner.DeliveredAsync(email, cancellationToken);

            public async Task SendAsync(BulkEmail email, CancellationToken cancellationToken)
            {
                await inner.SendAsync(email, cancellationToken);
                if (crashes.CrashAfterNextRequest)
                {
                    crashes.CrashAfterNextRequest = false;
                    throw new OperationCanceledException("stopped after the request");
                }
            }
        }

        private sealed class Suppressions(Crashes crashes, ISuppressionList inner) : ISuppressionList
        {
            public async Task<IReadOnlySet<string>> SuppressedKeysAsync(CancellationToken cancellationToken)
            {
                var lookup = Interlocked.Increment(ref crashes._lookups);
                if (lookup == crashes.SuppressionLookupsBeforeCrash)
                {
                    crashes.Crashed = true;
                    throw new OperationCanceledException("stopped while preparing");
                }
                if (lookup == 2 && crashes.UnsubscribesBeforeSending is { } address)
                {
                    await inner.SuppressAsync(address, cancellationToken);
                }
                return await inner.SuppressedKeysAsync(cancellationToken);
            }

            public Task<bool> IsSuppressedAsync(string email, CancellationToken cancellationToken) => inner.IsSuppressedAsync(email, cancellationToken);

            public Task SuppressAsync(string email, CancellationToken cancellationToken) => inner.SuppressAsync(email, cancellationToken);

            public Task LiftAsync(string email, CancellationToken cancellationToken) => inner.LiftAsync(email, cancellationToken);
        }
    }
}
