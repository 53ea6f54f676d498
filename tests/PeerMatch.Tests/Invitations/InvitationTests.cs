using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PeerMatch.Practitioners;
using PeerMatch.Tests.Infrastructure;

namespace PeerMatch.Tests.Invitations;

/// <summary>Organizers' bulk invitations, end to end: the list, the ledger, the shards, the e-mail.</summary>
public sealed class InvitationTests
{
    [Fact]
    public async Task A_list_invites_each_new_address_once_and_leaves_out_members_unsubscribed_duplicates_and_invalid_rows()
    {
        await using var app = new PeerMatchApp();
        using var client = OrganizerClient(app);
        await Intakes.SignUpAndConfirmAsync(app, client, "member@example.org", "Mia Member");
        await Intakes.SignUpAndConfirmAsync(app, client, "quiet@example.org", "Quinn Quiet");
        await app.Services.GetRequiredService<ISuppressionList>().SuppressAsync("gone@example.org", default);
        await app.Services.GetRequiredService<ISuppressionList>().SuppressAsync("quiet@example.org", default);

        var receipt = await InviteAsync(client, new JsonObject
        {
            ["campaign"] = "Spring network 2027",
            ["message"] = "Dear colleagues,\n\nJoin us. <b>Not bold</b> & not a <script>tag</script>. Hi %%name%%, this is %%unsubscribe%%.",
            ["sender"] = "The Bay Area Mediation Network",
            ["recipients"] = new JsonArray(
                Person("ana@example.org", "Ana Ortiz"),
                Person("  ANA@Example.org ", "Ana again"),
                Person("ben@bücher.de", "Ben"),
                Person("Member@example.org", "Mia"),
                Person("gone@example.org", "Gone"),
                Person("quiet@example.org", "A member who unsubscribed"),
                Person("not-an-address", "Nobody"),
                new JsonObject { ["name"] = "No address" },
                Person("cleo@example.org", "Eve\r\nBcc: victim@example.org")),
        });

        Assert.Equal("spring-network-2027-", receipt["campaignId"]!.GetValue<string>()[..20]);
        Assert.Equal(2, receipt["accepted"]!.GetValue<int>());
        Assert.Equal(1, receipt["duplicates"]!.GetValue<int>());
        Assert.Equal(1, receipt["alreadyMembers"]!.GetValue<int>());
        Assert.Equal(2, receipt["suppressed"]!.GetValue<int>()); // an unsubscribed member is counted as unsubscribed
        var invalid = receipt["invalid"]!.AsArray().Select(r => (Row: r!["row"]!.GetValue<int>(), Email: r["email"]!.GetValue<string>())).ToList();
        Assert.Equal([(7, "not-an-address"), (8, ""), (9, "cleo@example.org")], invalid);

        await app.DrainAsync();
        var invitations = app.Outbox.All().Where(m => m.Headers["X-PeerMatch-Kind"] == "invitation").ToList();
        // The internationalised domain is sent in its ASCII form (MimeKit shows it decoded when it reads the file).
        Assert.Equal(["ana@example.org", "ben@bücher.de"], invitations.Select(m => m.To.Mailboxes.Single().Address).Order());
        Assert.Contains(invitations, m => m.Headers["To"]!.Contains("ben@xn--bcher-kva.de", StringComparison.Ordinal));
        var ana = invitations.Single(m => m.To.Mailboxes.Single().Address == "ana@example.org");
        Assert.Equal("An invitation to PeerMatch from The Bay Area Mediation Network", ana.Subject);
        Assert.Contains("Hello Ana Ortiz,", ana.TextBody!, StringComparison.Ordinal);
        // The organizer's words are text: what looks like a placeholder in them is not filled.
        Assert.Contains("<b>Not bold</b> & not a <script>tag</script>. Hi %%name%%, this is %%unsubscribe%%.", ana.TextBody, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;Not bold&lt;/b&gt; &amp; not a &lt;script&gt;", ana.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", ana.HtmlBody, StringComparison.Ordinal);
        Assert.Contains(PeerMatchApp.PublicBaseUrl + "/api/intake", ana.TextBody, StringComparison.Ordinal);
        var unsubscribe = ana.Headers["List-Unsubscribe"]!.Trim('<', '>');
        Assert.StartsWith(PeerMatchApp.PublicBaseUrl + "/api/unsubscribe?token=", unsubscribe, StringComparison.Ordinal);
        Assert.Contains(unsubscribe, ana.TextBody, StringComparison.Ordinal);
        Assert.Contains(unsubscribe.Replace("&", "&amp;", StringComparison.Ordinal), ana.HtmlBody, StringComparison.Ordinal);
        Assert.Equal("List-Unsubscribe=One-Click", ana.Headers["List-Unsubscribe-Post"]);
        Assert.DoesNotMatch("%%[a-z]+-[0-9a-f]{16}", ana.TextBody + ana.HtmlBody); // every placeholder of ours was filled

        var progress = await client.GetFromJsonAsync<JsonObject>($"/api/organizer/invitations/{receipt["campaignId"]}");
        Assert.Equal((2, 0, 2, 0, 0), (progress!["total"]!.GetValue<int>(), progress["pending"]!.GetValue<int>(), progress["sent"]!.GetValue<int>(),
            progress["failed"]!.GetValue<int>(), progress["skipped"]!.GetValue<int>()));
        // Sent: the ledger keeps the address's key, no longer the address or the name.
        Assert.All(await app.RowsAsync("Invitations"), row => Assert.DoesNotContain("example.org", string.Join(",", row.Select(p => p.Value)), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Posting_a_campaign_again_sends_nothing_new_and_a_changed_list_reaches_only_the_new_addresses()
    {
        await using var app = new PeerMatchApp();
        using var client = OrganizerClient(app);
        var first = new JsonObject { ["campaign"] = "Winter", ["recipients"] = new JsonArray(Person("a@example.org", "A"), Person("b@example.org", "B")) };
        await InviteAsync(client, first);
        await app.DrainAsync();

        var again = await InviteAsync(client, JsonNode.Parse(first.ToJsonString())!.AsObject());
        var changed = await InviteAsync(client, new JsonObject
        {
            ["campaign"] = "  winter ", // the same campaign, however its title is spelt
            ["recipients"] = new JsonArray(Person("B@example.org", "B"), Person("c@example.org", "C")),
        });
        await app.DrainAsync();

        Assert.Equal((0, 2), (again["accepted"]!.GetValue<int>(), again["duplicates"]!.GetValue<int>()));
        Assert.Equal((1, 1), (changed["accepted"]!.GetValue<int>(), changed["duplicates"]!.GetValue<int>()));
        Assert.Equal(["a@example.org", "b@example.org", "c@example.org"], app.Outbox.All().Select(m => m.To.Mailboxes.Single().Address).Order());
        var progress = await client.GetFromJsonAsync<JsonObject>($"/api/organizer/invitations/{changed["campaignId"]}");
        Assert.Equal(3, progress!["sent"]!.GetValue<int>());
    }

    [Fact]
    public async Task An_unsubscribe_from_an_invitation_holds_for_every_later_campaign()
    {
        await using var app = new PeerMatchApp();
        using var client = OrganizerClient(app);
        await InviteAsync(client, new JsonObject { ["campaign"] = "First", ["recipients"] = new JsonArray(Person("dana@example.org", "Dana")) });
        var invitation = await app.Outbox.WaitForAsync("dana@example.org", "invitation");
        using (var oneClick = await client.PostAsync(new Uri(invitation.Headers["List-Unsubscribe"]!.Trim('<', '>')).PathAndQuery,
            new StringContent("List-Unsubscribe=One-Click", Encoding.ASCII, "application/x-www-form-urlencoded")))
        {
            Assert.Equal(HttpStatusCode.OK, oneClick.StatusCode);
        }

        var second = await InviteAsync(client, new JsonObject { ["campaign"] = "Second", ["recipients"] = new JsonArray(Person("Dana@Example.org", "Dana")) });
        await app.DrainAsync();

        Assert.Equal((0, 1), (second["accepted"]!.GetValue<int>(), second["suppressed"]!.GetValue<int>()));
        Assert.Single(app.Outbox.To("dana@example.org"));
    }

    [Fact]
    public async Task Lists_that_cannot_be_read_are_refused_and_change_nothing()
    {
        await using var app = new PeerMatchApp();
        using var client = OrganizerClient(app);

        var refused = new List<HttpStatusCode>();
        foreach (var content in new HttpContent[]
        {
            JsonContent.Create(new { recipients = new[] { new { email = "a@example.org" } } }), // no campaign
            JsonContent.Create(new { campaign = "X", recipients = Array.Empty<object>() }),
            JsonContent.Create(new { campaign = "X\nBcc: y", recipients = new[] { new { email = "a@example.org" } } }),
            JsonContent.Create(new { campaign = "X", recipients = Enumerable.Range(0, 10_001).Select(i => new { email = $"p{i}@example.org" }) }),
            new StringContent("name,address\nA,a@example.org", Encoding.UTF8, "text/csv"), // no email column (and no campaign)
            new ByteArrayContent([0xEF, 0xBB, 0xBF, (byte)'e', (byte)'m', (byte)'a', (byte)'i', (byte)'l', (byte)'\n', 0xFF, 0xFE]) { Headers = { { "Content-Type", "text/csv" } } },
            new StringContent("email\na@example.org", Encoding.UTF8, "text/plain"),
        })
        {
            using var response = await client.PostAsync("/api/organizer/invitations?campaign=X", content);
            refused.Add(response.StatusCode);
        }
        using var withoutKey = await app.CreateClient().PostAsync("/api/organizer/invitations", JsonContent.Create(new { campaign = "X", recipients = new[] { new { email = "a@example.org" } } }));

        Assert.All(refused[..6], status => Assert.Equal(HttpStatusCode.BadRequest, status));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, refused[6]);
        Assert.Equal(HttpStatusCode.Unauthorized, withoutKey.StatusCode);
        Assert.Empty(await app.RowsAsync("Invitations"));
        Assert.Empty(await app.RowsAsync("Campaigns"));
        using var unknown = await client.GetAsync("/api/organizer/invitations/no-such-campaign");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task A_checked_list_gives_the_counts_and_records_nothing_and_the_upload_then_sends_what_was_checked()
    {
        await using var app = new PeerMatchApp();
        using var client = OrganizerClient(app);
        await Intakes.SignUpAndConfirmAsync(app, client, "member@example.org", "Mia Member");
        await InviteAsync(client, new JsonObject { ["campaign"] = "Summer", ["recipients"] = new JsonArray(Person("a@example.org", "A")) });
        await app.DrainAsync();
        var ledger = (await app.RowsAsync("Invitations")).Count;
        var campaignRows = (await app.RowsAsync("Campaigns")).Count;
        const string csv = "email,name\r\nA@example.org,A\r\nb@example.org,\"Bo, the second\"\r\nb@example.org,Bo\r\nmember@example.org,Mia\r\nnope,Nobody\r\n";

        using var check = await client.PostAsync("/api/organizer/invitations?dryRun=true", Upload("Summer", csv, message: "Hello again"));
        var counted = await check.Content.ReadFromJsonAsync<JsonObject>();
        await app.DrainAsync();

        Assert.Equal(HttpStatusCode.OK, check.StatusCode);
        Assert.Equal((1, 2, 1, 0), Counts(counted!));
        Assert.Equal([6], counted!["invalid"]!.AsArray().Select(r => r!["row"]!.GetValue<int>()));
        Assert.Equal(ledger, (await app.RowsAsync("Invitations")).Count);
        Assert.Equal(campaignRows, (await app.RowsAsync("Campaigns")).Count);
        Assert.Empty(app.Outbox.To("b@example.org"));

        using var send = await client.PostAsync("/api/organizer/invitations", Upload("Summer", csv, message: "Hello again"));
        var receipt = await send.Content.ReadFromJsonAsync<JsonObject>();
        await app.DrainAsync();

        Assert.Equal(HttpStatusCode.Accepted, send.StatusCode);
        Assert.Equal(Counts(counted), Counts(receipt!));
        var bo = Assert.Single(app.Outbox.To("b@example.org"));
        Assert.Contains("Hello Bo, the second,", bo.TextBody!, StringComparison.Ordinal);
        Assert.Contains("Hello again", bo.TextBody!, StringComparison.Ordinal);
        Assert.Single(app.Outbox.To("a@example.org"));
    }

    [Fact]
    public async Task Uploads_that_cannot_be_read_are_refused_and_change_nothing()
    {
        await using var app = new PeerMatchApp();
        using var client = OrganizerClient(app);
        const string csv = "email,name\na@example.org,A\n";
        static ByteArrayContent Raw(string body) => new(Encoding.UTF8.GetBytes(body)) { Headers = { { "Content-Type", "multipart/form-data; boundary=b" } } };

        var refused = new List<(string, HttpStatusCode)>();
        foreach (var (what, content, query) in new (string, HttpContent, string)[]
        {
            ("no list", new MultipartFormDataContent { { new StringContent("X"), "campaign" } }, ""),
            ("an unknown part", WithPart(Upload("X", csv), "bcc", "y@example.org"), ""),
            ("the campaign twice", WithPart(Upload("X", csv), "campaign", "Y"), ""),
            ("no campaign", new MultipartFormDataContent { { new StringContent(csv), "recipients", "list.csv" } }, ""),
            ("cut short", Raw("--b\r\nContent-Disposition: form-data; name=\"recipients\"; filename=\"l.csv\"\r\n\r\nemail\na@example.org"), ""),
            ("no boundary", new ByteArrayContent(Encoding.UTF8.GetBytes(csv)) { Headers = { { "Content-Type", "multipart/form-data" } } }, ""),
            ("dry run neither true nor false", Upload("X", csv), "?dryRun=maybe"),
        })
        {
            using var response = await client.PostAsync("/api/organizer/invitations" + query, content);
            refused.Add((what, response.StatusCode));
        }

        Assert.All(refused, r => Assert.Equal((r.Item1, HttpStatusCode.BadRequest), r));
        Assert.Empty(await app.RowsAsync("Invitations"));
        Assert.Empty(await app.RowsAsync("Campaigns"));
    }

    [Fact]
    public async Task Organizers_see_their_campaigns_last_posted_first_and_not_what_practitioners_send_colleagues()
    {
        await using var app = new PeerMatchApp();
        using var client = OrganizerClient(app);
        await InviteAsync(client, new JsonObject { ["campaign"] = "Autumn", ["recipients"] = new JsonArray(Person("a@example.org", "A")) });
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        await InviteAsync(client, new JsonObject { ["campaign"] = "Winter", ["recipients"] = new JsonArray(Person("b@example.org", "B")) });
        var profile = await Intakes.SignUpAndConfirmAsync(app, client, "ada@example.org", "Ada Example");
        using (var colleague = await client.PostAsync(profile.Replace("/api/me?", "/api/me/invitations?", StringComparison.Ordinal), JsonContent.Create(new { email = "cole@example.org" })))
        {
            Assert.Equal(HttpStatusCode.Accepted, colleague.StatusCode);
        }
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        await InviteAsync(client, new JsonObject { ["campaign"] = "autumn", ["recipients"] = new JsonArray(Person("c@example.org", "C")) });

        var list = await client.GetFromJsonAsync<JsonObject>("/api/organizer/invitations");
        using var withoutKey = await app.CreateClient().GetAsync("/api/organizer/invitations");

        Assert.Equal(["Autumn", "Winter"], list!["campaigns"]!.AsArray().Select(c => c!["title"]!.GetValue<string>()));
        Assert.All(list["campaigns"]!.AsArray(), c => Assert.DoesNotContain("colleagues", c!["campaignId"]!.GetValue<string>(), StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Unauthorized, withoutKey.StatusCode);
    }

    [Fact]
    public async Task A_practitioner_invites_colleagues_in_their_own_name_up_to_five_a_week_and_the_answer_never_says_who_is_a_member()
    {
        await using var app = new PeerMatchApp();
        using var client = app.CreateClient();
        var profile = await Intakes.SignUpAndConfirmAsync(app, client, "ada@example.org", "Ada Example");
        await Intakes.SignUpAndConfirmAsync(app, client, "bea@example.org", "Bea Example");
        await app.Services.GetRequiredService<ISuppressionList>().SuppressAsync("gone@example.org", default);
        var invite = profile.Replace("/api/me?", "/api/me/invitations?", StringComparison.Ordinal);

        var answers = new List<string>();
        foreach (var colleague in new[] { "cole@example.org", "bea@example.org", "gone@example.org", "Cole@Example.org" })
        {
            using var response = await client.PostAsync(invite, JsonContent.Create(new { email = colleague, name = "Cole", message = "We met at the\nspring training. Hi %%name%%, this is %%unsubscribe%%." }));
            answers.Add($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        using var fromPage = new HttpRequestMessage(HttpMethod.Post, invite)
        {
            Content = new FormUrlEncodedContent([new("email", "dev@example.org"), new("name", ""), new("message", "")]),
        };
        fromPage.Headers.Accept.ParseAdd("text/html");
        using var pageAnswer = await client.SendAsync(fromPage);
        using var sixth = await client.PostAsync(invite, JsonContent.Create(new { email = "fay@example.org" }));
        await app.DrainAsync();

        Assert.All(answers, answer => Assert.Equal("202 {\"status\":\"sent\"}", answer));
        // The page's form lands back on the profile page (post/redirect/get), which says it went.
        Assert.EndsWith("&invite=sent", pageAnswer.RequestMessage!.RequestUri!.Query, StringComparison.Ordinal);
        Assert.Contains("your colleague will get an invitation from you", await pageAnswer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.TooManyRequests, sixth.StatusCode);
        var invitations = app.Outbox.All().Where(m => m.Headers["X-PeerMatch-Kind"] == "invitation").ToList();
        Assert.Equal(["cole@example.org", "dev@example.org"], invitations.Select(m => m.To.Mailboxes.Single().Address).Order());
        var cole = invitations.Single(m => m.To.Mailboxes.Single().Address == "cole@example.org");
        Assert.Equal("An invitation to PeerMatch from Ada Example", cole.Subject);
        Assert.Contains("spring training. Hi %%name%%, this is %%unsubscribe%%.", cole.TextBody!, StringComparison.Ordinal); // their words, as typed
        Assert.Contains("Hello Cole,", cole.TextBody!, StringComparison.Ordinal);
        Assert.Contains("Hello there,", invitations.Single(m => m != cole).TextBody!, StringComparison.Ordinal);

        // Erasing the profile takes the record of whom they invited with it.
        using (var erase = await client.DeleteAsync(profile))
        {
            Assert.Equal(HttpStatusCode.NoContent, erase.StatusCode);
        }
        Assert.Empty(await app.RowsAsync("Campaigns"));
        Assert.Empty(await app.RowsAsync("Invitations"));
    }

    internal static HttpClient OrganizerClient(PeerMatchApp app)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Add("x-functions-key", PeerMatchApp.OrganizerKey);
        return client;
    }

    internal static JsonObject Person(string email, string name) => new() { ["email"] = email, ["name"] = name };

    /// <summary>A list uploaded as a form would send it: the campaign and message as fields, the CSV as a file.</summary>
    internal static MultipartFormDataContent Upload(string campaign, string csv, string? message = null)
    {
        var form = new MultipartFormDataContent { { new StringContent(campaign), "campaign" } };
        if (message is not null)
        {
            form.Add(new StringContent(message), "message");
        }
        form.Add(new ByteArrayContent(Encoding.UTF8.GetBytes(csv)) { Headers = { { "Content-Type", "text/csv" } } }, "recipients", "list.csv");
        return form;
    }

    private static MultipartFormDataContent WithPart(MultipartFormDataContent form, string name, string value)
    {
        form.Add(new StringContent(value), name);
        return form;
    }

    private static (int Accepted, int Duplicates, int AlreadyMembers, int Suppressed) Counts(JsonObject receipt) =>
        (receipt["accepted"]!.GetValue<int>(), receipt["duplicates"]!.GetValue<int>(), receipt["alreadyMembers"]!.GetValue<int>(), receipt["suppressed"]!.GetValue<int>());

    internal static async Task<JsonObject> InviteAsync(HttpClient client, JsonObject body)
    {
        using var response = await client.PostAsync("/api/organizer/invitations", JsonContent.Create(body));
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }
}
