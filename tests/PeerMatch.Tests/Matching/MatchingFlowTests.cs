using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using PeerMatch.Functions.Groups;
using PeerMatch.Functions.Intake;
using PeerMatch.Functions.Matching;
using PeerMatch.Intake;
using PeerMatch.Matching;
using PeerMatch.Practitioners;
using PeerMatch.Tests.Infrastructure;
using static PeerMatch.Tests.Matching.People;

namespace PeerMatch.Tests.Matching;

/// <summary>The weekly run end to end on Azurite: runs, digests, answers, introductions, groups.</summary>
public sealed class MatchingFlowTests : OrganizerFlowTest
{
    [Fact]
    public async Task Organizer_routes_refuse_a_missing_or_wrong_key_and_do_nothing()
    {
        using var anonymous = App.CreateClient();
        using var none = await anonymous.PostAsJsonAsync("/api/organizer/match-runs", new { force = true });
        using var wrongRequest = new HttpRequestMessage(HttpMethod.Post, "/api/organizer/groups/proposals") { Content = JsonContent.Create(new { }) };
        wrongRequest.Headers.Add("x-functions-key", "not-the-key-at-all");
        using var wrong = await anonymous.SendAsync(wrongRequest);
        using var byCode = await anonymous.PostAsJsonAsync($"/api/organizer/groups/proposals?code={PeerMatchApp.OrganizerKey}", new { });

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal("application/problem+json", none.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byCode.StatusCode);
        Assert.Empty(await App.RowsAsync(MatchRunTable.Name));
    }

    [Fact]
    public async Task A_forced_run_sends_each_eligible_practitioner_one_digest_and_respects_the_hard_rules()
    {
        await App.SeedAsync(Person("ada"), Person("bea"), Person("cy"), Person("dee"), Person("eve"));
        await App.SeedAsync(PractitionerStatus.PendingConfirmation, [Person("pending")]);
        await App.SeedAsync(PractitionerStatus.Active, [Person("paused")], pausedUntil: new DateOnly(2027, 3, 1));
        await App.SeedAsync(Person("gone"));
        await App.Services.GetRequiredService<SuppressionTable>().SuppressAsync("gone@example.org", default);

        var run = await Client.RunMatchAsync(force: true);

        Assert.Equal("completed", run["status"]!.GetValue<string>());
        Assert.Equal(5, run["practitioners"]!.GetValue<int>());
        Assert.Equal(5, run["emailsSent"]!.GetValue<int>());
        foreach (var id in new[] { "ada", "bea", "cy", "dee", "eve" })
        {
            var digest = await App.Outbox.WaitForAsync($"{id}@example.org", "digest");
            var links = SuggestionLinks(digest);
            Assert.InRange(links.Count, 1, 3);
            Assert.StartsWith("<" + PeerMatchApp.PublicBaseUrl + "/api/unsubscribe?token=", digest.Headers["List-Unsubscribe"], StringComparison.Ordinal);
            Assert.Contains(PeerMatchApp.PublicBaseUrl + "/api/me?token=", digest.TextBody, StringComparison.Ordinal);
            Assert.Contains("both practise understanding-based mediation", digest.TextBody, StringComparison.Ordinal);
            Assert.DoesNotContain("example.org", digest.TextBody!.Replace($"{id}@example.org", "", StringComparison.Ordinal), StringComparison.Ordinal);
        }
        var suggested = (await App.RowsAsync(SuggestionTable.Name)).SelectMany(r => new[] { r.PartitionKey, r.GetString("PeerId") }).ToHashSet();
        Assert.DoesNotContain("pending", suggested);
        Assert.DoesNotContain("paused", suggested);
        Assert.DoesNotContain("gone", suggested);
        Assert.All(await App.RowsAsync(SuggestionTable.Name), r => Assert.NotEqual(r.PartitionKey, r.GetString("PeerId")));
        // Reciprocity: every suggestion is stored both ways, so both sides can answer it.
        var rows = (await App.RowsAsync(SuggestionTable.Name)).Select(r => (r.PartitionKey, r.GetString("PeerId"))).ToHashSet();
        Assert.All(rows, r => Assert.Contains((r.Item2, r.PartitionKey), rows));
        Assert.Empty(App.Outbox.To("pending@example.org"));
        Assert.Empty(App.Outbox.To("paused@example.org"));
        Assert.Empty(App.Outbox.To("gone@example.org"));
    }

    [Fact]
    public async Task Nobody_gets_two_digests_in_one_week_even_from_repeated_runs()
    {
        await App.SeedAsync(Person("ada"), Person("bea"), Person("cy"));
        await Client.RunMatchAsync(force: true);
        await App.Outbox.WaitForAsync("ada@example.org", "digest");
        var suggestionsBefore = (await App.RowsAsync(SuggestionTable.Name)).Count;

        var again = await Client.RunMatchAsync(force: true);
        await Client.RunMatchAsync(force: false);

        Assert.Equal(0, again["emailsSent"]!.GetValue<int>());
        await App.DrainAsync();
        Assert.Single(App.Outbox.To("ada@example.org"), m => m.Headers["X-PeerMatch-Kind"] == "digest");
        Assert.Equal(suggestionsBefore, (await App.RowsAsync(SuggestionTable.Name)).Count);
    }

    [Fact]
    public async Task Simultaneous_runs_plan_the_week_once_and_send_each_digest_once()
    {
        // All six seek a peer group too: the runs form the week's one group once, and invite each member once.
        await App.SeedAsync(Enumerable.Range(0, 6).Select(i => Person($"p{i}")).ToArray());

        var runs = await Task.WhenAll(Client.RunMatchAsync(force: true), Client.RunMatchAsync(force: true), Client.RunMatchAsync(force: true));

        Assert.Equal(6, runs.Sum(r => r["emailsSent"]!.GetValue<int>()));
        for (var i = 0; i < 6; i++)
        {
            await App.Outbox.WaitForAsync($"p{i}@example.org", "digest");
        }
        await App.DrainAsync();
        Assert.Equal(6, App.Outbox.All().Count(m => m.Headers["X-PeerMatch-Kind"] == "digest"));
        Assert.Equal(6, App.Outbox.All().Count(m => m.Headers["X-PeerMatch-Kind"] == "group-invitation"));
        Assert.Equal(12, App.Outbox.All().Count);
        Assert.Single(await App.RowsAsync(GroupTable.Name), r => r.RowKey == "~group");
        Assert.All((await App.RowsAsync(SuggestionTable.Name)).GroupBy(r => r.PartitionKey), g => Assert.InRange(g.Count(), 1, 3));
        Assert.Single(runs, r => r["suggestions"]!.GetValue<int>() > 0);
    }

    [Fact]
    public async Task Rows_left_by_a_crashed_planning_attempt_never_reach_a_digest()
    {
        await App.SeedAsync(Person("ada"), Person("bea"));
        await App.SeedAsync(PractitionerStatus.Active, [Person("zed", languages: ["fi"])]);
        var week = IsoWeeks.Planning(MondayUtc);
        // An attempt that stored a suggestion, then died before its plan was written.
        await App.Services.GetRequiredService<SuggestionTable>().SaveAsync(
            [new StoredSuggestion("ada", "zed", week, "crashed-run", 0.9f, ["left behind"], new float[PairFeatures.Count], MondayUtc)], default);

        await Client.RunMatchAsync(force: true);

        var digest = await App.Outbox.WaitForAsync("ada@example.org", "digest");
        Assert.Single(SuggestionLinks(digest));
        Assert.Contains("bea:", digest.TextBody, StringComparison.Ordinal);
        // Named as "bea:" is: "zed" alone could be part of a link's random token.
        Assert.DoesNotContain("zed:", digest.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("left behind", digest.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_hourly_run_sends_each_digest_in_the_practitioners_local_monday_morning()
    {
        await App.SeedAsync(
            Person("lon1", country: "GB", subdivision: "GB-ENG", city: "London", timeZone: "Europe/London", meeting: "online"),
            Person("lon2", country: "GB", subdivision: "GB-ENG", city: "London", timeZone: "Europe/London", meeting: "online"),
            Person("oak1", meeting: "online"), Person("oak2", meeting: "online"));
        var nextMonday = MondayUtc.AddDays(7);
        App.Clock.SetUtcNow(nextMonday.AddHours(-6)); // 11:00 in London, 03:00 in Oakland

        await Client.RunMatchAsync(force: false);

        await App.Outbox.WaitForAsync("lon1@example.org", "digest");
        await App.Outbox.WaitForAsync("lon2@example.org", "digest");
        await App.DrainAsync();
        Assert.Empty(App.Outbox.To("oak1@example.org"));

        App.Clock.SetUtcNow(nextMonday); // 09:00 in Oakland
        await Client.RunMatchAsync(force: false);

        await App.Outbox.WaitForAsync("oak1@example.org", "digest");
        await App.Outbox.WaitForAsync("oak2@example.org", "digest");
        Assert.Single(App.Outbox.To("lon1@example.org"));
    }

    [Fact]
    public async Task A_forced_run_on_sunday_sends_next_week_s_digest_early_only_to_whoever_got_none_this_week()
    {
        Candidate Aucklander(string id) => Person(id, country: "NZ", subdivision: null, city: "Auckland", timeZone: "Pacific/Auckland", meeting: "online");
        await App.SeedAsync(Person("oak1", meeting: "online"), Person("oak2", meeting: "online"), Aucklander("akl1"), Aucklander("akl2"));
        await Client.RunMatchAsync(force: true);
        await App.Outbox.WaitForAsync("oak1@example.org", "digest");
        await App.Outbox.WaitForAsync("akl1@example.org", "digest");

        // Sunday 18:00 UTC: next week is being planned; in Auckland it is Monday 07:00, in Oakland still Sunday 10:00.
        App.Clock.SetUtcNow(MondayUtc.AddDays(6).AddHours(1));
        await App.SeedAsync(Person("oak3", meeting: "online"));
        await Client.RunMatchAsync(force: true);

        // Auckland's Monday morning has not come, but a forced run ignores the hour.
        await App.Outbox.WaitForAsync("akl1@example.org", "digest", count: 2);
        await App.Outbox.WaitForAsync("akl2@example.org", "digest", count: 2);
        // Oakland had this week's digest: next week's waits for next week. The newcomer had none this week: it goes.
        await App.Outbox.WaitForAsync("oak3@example.org", "digest");
        await App.DrainAsync();
        Assert.Single(App.Outbox.To("oak1@example.org"));
        Assert.Single(App.Outbox.To("oak2@example.org"));
    }

    [Fact]
    public async Task Someone_confirmed_after_the_week_s_plan_is_matched_that_week_and_nobody_gets_two_digests()
    {
        await App.SeedAsync(Person("ada"), Person("bea"));
        var nextMonday = MondayUtc.AddDays(7);
        App.Clock.SetUtcNow(nextMonday.AddHours(-8)); // 01:00 in Oakland: the week is planned, no digest is due yet
        var planned = await Client.RunMatchAsync(force: false);
        App.Clock.Advance(TimeSpan.FromHours(1));
        await App.SeedAsync(Person("eve"));

        var late = await Client.RunMatchAsync(force: false);
        App.Clock.SetUtcNow(nextMonday); // 09:00 in Oakland
        var morning = await Client.RunMatchAsync(force: false);
        await Client.RunMatchAsync(force: false);

        Assert.Equal((2, 0), (planned["newlyPlanned"]!.GetValue<int>(), planned["emailsSent"]!.GetValue<int>()));
        Assert.Equal(1, late["newlyPlanned"]!.GetValue<int>());
        Assert.Equal(4, late["suggestions"]!.GetValue<int>());
        Assert.Equal(3, morning["emailsSent"]!.GetValue<int>());
        var eve = await App.Outbox.WaitForAsync("eve@example.org", "digest");
        Assert.Equal(2, SuggestionLinks(eve).Count);
        Assert.Equal(2, SuggestionLinks(await App.Outbox.WaitForAsync("ada@example.org", "digest")).Count);
        await App.DrainAsync();
        Assert.All(new[] { "ada", "bea", "eve" }, id => Assert.Single(App.Outbox.To($"{id}@example.org")));
    }

    [Fact]
    public async Task A_peer_who_pauses_or_unsubscribes_after_the_plan_is_not_named_in_the_morning_s_digest()
    {
        await App.SeedAsync(Person("ada"), Person("zeb"), Person("qix"), Person("dee"));
        var nextMonday = MondayUtc.AddDays(7);
        App.Clock.SetUtcNow(nextMonday.AddHours(-8)); // 01:00 in Oakland: the week is planned, no digest is due yet
        await Client.RunMatchAsync(force: false);
        var repository = App.Services.GetRequiredService<IPractitionerRepository>();
        var zeb = (await repository.GetAsync("zeb", default))!;
        await repository.UpdateAsync(zeb with { PausedUntil = DateOnly.FromDateTime(nextMonday.UtcDateTime).AddDays(14) }, default);
        await App.Services.GetRequiredService<ISuppressionList>().SuppressAsync("qix@example.org", default);

        App.Clock.SetUtcNow(nextMonday); // 09:00 in Oakland
        await Client.RunMatchAsync(force: false);

        var digest = await App.Outbox.WaitForAsync("ada@example.org", "digest");
        Assert.Single(SuggestionLinks(digest));
        Assert.Contains("dee", digest.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("zeb", digest.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("qix", digest.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nobody_is_suggested_the_same_peer_again_in_the_following_weeks()
    {
        await App.SeedAsync(Enumerable.Range(0, 8).Select(i => Person($"p{i}", years: 5 + i)).ToArray());
        await Client.RunMatchAsync(force: true);
        var firstWeek = await PairsAsync();

        App.Clock.SetUtcNow(MondayUtc.AddDays(7));
        await Client.RunMatchAsync(force: true);
        var allPairs = await PairsAsync();

        var secondWeek = allPairs.Except(firstWeek).ToList();
        Assert.NotEmpty(secondWeek);
        Assert.Empty(secondWeek.Intersect(firstWeek));
        Assert.Equal(allPairs.Count, firstWeek.Count + secondWeek.Count);
        await App.Outbox.WaitForAsync("p0@example.org", "digest", count: 2);
    }

    [Fact]
    public async Task Someone_nobody_suits_still_gets_a_digest_saying_why()
    {
        await App.SeedAsync(Person("ada"), Person("bea"), Person("solo", languages: ["fi"], meeting: "in-person"));

        await Client.RunMatchAsync(force: true);

        var digest = await App.Outbox.WaitForAsync("solo@example.org", "digest");
        Assert.Contains("No suggestion this week", digest.TextBody, StringComparison.Ordinal);
        Assert.Contains("Nobody on PeerMatch yet works in Finnish.", digest.TextBody, StringComparison.Ordinal);
        Assert.Empty(SuggestionLinks(digest));
    }

    [Fact]
    public async Task Two_yeses_introduce_both_once_and_a_page_view_records_nothing()
    {
        await App.SeedAsync(Person("ada"), Person("bea"));
        await Client.RunMatchAsync(force: true);
        var toAda = SuggestionLinks(await App.Outbox.WaitForAsync("ada@example.org", "digest")).Single();
        var toBea = SuggestionLinks(await App.Outbox.WaitForAsync("bea@example.org", "digest")).Single();

        using var opened = await Intakes.BrowseAsync(Client, toAda.PathAndQuery);
        var page = await opened.Content.ReadAsStringAsync();
        Assert.Contains("bea Example", page, StringComparison.Ordinal);
        Assert.Contains("I'd like to connect", page, StringComparison.Ordinal);
        var asJson = await Client.GetFromJsonAsync<JsonObject>(toAda.PathAndQuery);
        Assert.Equal("bea", asJson!["peerName"]!.GetValue<string>());
        Assert.Equal("Oakland, California, United States", asJson["place"]!.GetValue<string>());
        Assert.NotEmpty(asJson["reasons"]!.AsArray());
        Assert.All(await App.RowsAsync(SuggestionTable.Name), r => Assert.Null(r.GetString("Answer")));

        var adaSays = await AnswerAsync(toAda, "yes");
        Assert.False(adaSays["introduced"]!.GetValue<bool>());
        await App.DrainAsync();
        Assert.DoesNotContain(App.Outbox.All(), m => m.Headers["X-PeerMatch-Kind"] == "introduction");

        var beaSays = await AnswerAsync(toBea, "yes");
        Assert.True(beaSays["introduced"]!.GetValue<bool>());
        var adaIntro = await App.Outbox.WaitForAsync("ada@example.org", "introduction");
        var beaIntro = await App.Outbox.WaitForAsync("bea@example.org", "introduction");
        Assert.Contains("bea@example.org", adaIntro.TextBody, StringComparison.Ordinal);
        Assert.Contains("ada@example.org", beaIntro.TextBody, StringComparison.Ordinal);
        Assert.Contains("loop", adaIntro.TextBody, StringComparison.OrdinalIgnoreCase);

        var again = await AnswerAsync(toBea, "yes");
        Assert.True(again["introduced"]!.GetValue<bool>()); // as the page says: the pair is introduced (once)
        await App.DrainAsync();
        Assert.Single(App.Outbox.All(), m => m.Headers["X-PeerMatch-Kind"] == "introduction" && m.To.Mailboxes.Single().Address == "ada@example.org");
    }

    [Fact]
    public async Task Two_weeks_after_an_introduction_both_are_asked_once_whether_they_met()
    {
        await App.SeedAsync(Person("ada"), Person("bea"));
        await Client.RunMatchAsync(force: true);
        var toAda = SuggestionLinks(await App.Outbox.WaitForAsync("ada@example.org", "digest")).Single();
        var toBea = SuggestionLinks(await App.Outbox.WaitForAsync("bea@example.org", "digest")).Single();
        await AnswerAsync(toAda, "yes");
        await AnswerAsync(toBea, "yes");
        await App.Outbox.WaitForAsync("bea@example.org", "introduction");
        var followUps = App.Services.GetRequiredService<SuggestionAnswers>();

        Assert.Equal(0, await followUps.QueueDueFollowUpsAsync(default)); // too early
        App.Clock.SetUtcNow(MondayUtc.AddDays(15));
        Assert.Equal(1, await followUps.QueueDueFollowUpsAsync(default));
        Assert.Equal(0, await followUps.QueueDueFollowUpsAsync(default)); // nothing new

        var adaFollowUp = await App.Outbox.WaitForAsync("ada@example.org", "follow-up");
        await App.Outbox.WaitForAsync("bea@example.org", "follow-up");
        var met = Outbox.Link(adaFollowUp, PeerMatchApp.PublicBaseUrl + "/api/suggestions/");
        Assert.StartsWith(PeerMatchApp.PublicBaseUrl + "/api/suggestions/", met.AbsoluteUri, StringComparison.Ordinal);
        using (var followUpPage = await Intakes.BrowseAsync(Client, met.PathAndQuery))
        {
            Assert.Contains("Did you meet", await followUpPage.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        Assert.All(await App.RowsAsync(SuggestionTable.Name), r => Assert.Null(r.GetString("Met")));

        // The suggestion link's token does not open the follow-up, and the other way round.
        using var crossed = await Client.PostAsync(toAda.PathAndQuery.Replace("?token", "/met?token", StringComparison.Ordinal), new FormUrlEncodedContent([new("answer", "yes")]));
        Assert.Equal(HttpStatusCode.NotFound, crossed.StatusCode);

        using var answered = await Client.PostAsync(met.PathAndQuery, new FormUrlEncodedContent([new("answer", "no")]));
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.Equal("no", (await App.RowsAsync(SuggestionTable.Name)).Single(r => r.PartitionKey == "ada").GetString("Met"));
        var pair = (await App.Services.GetRequiredService<SuggestionTable>().ForWeekAsync("ada", IsoWeeks.Planning(MondayUtc), default)).Single().ToLabelledPair();
        Assert.False(pair!.Accepted); // "yes" but never met: not a success to learn from

        await App.DrainAsync();
        Assert.Single(App.Outbox.To("ada@example.org"), m => m.Headers["X-PeerMatch-Kind"] == "follow-up");
    }

    [Fact]
    public async Task No_introduction_without_two_yeses_and_a_no_is_never_suggested_again()
    {
        await App.SeedAsync(Person("ada"), Person("bea"));
        await Client.RunMatchAsync(force: true);
        var toAda = SuggestionLinks(await App.Outbox.WaitForAsync("ada@example.org", "digest")).Single();
        var toBea = SuggestionLinks(await App.Outbox.WaitForAsync("bea@example.org", "digest")).Single();

        await AnswerAsync(toAda, "yes");
        await AnswerAsync(toBea, "no");
        App.Clock.SetUtcNow(MondayUtc.AddDays(7 * 13)); // past the 12-week window
        await Client.RunMatchAsync(force: true);

        await App.DrainAsync();
        Assert.DoesNotContain(App.Outbox.All(), m => m.Headers["X-PeerMatch-Kind"] == "introduction");
        Assert.Equal(2, (await App.RowsAsync(SuggestionTable.Name)).Count);
    }

    [Fact]
    public async Task A_bad_answer_is_a_400_and_records_nothing()
    {
        await App.SeedAsync(Person("ada"), Person("bea"));
        await Client.RunMatchAsync(force: true);
        var toAda = SuggestionLinks(await App.Outbox.WaitForAsync("ada@example.org", "digest")).Single();

        using var response = await Client.PostAsync(toAda.PathAndQuery.Replace("?token", "/answer?token", StringComparison.Ordinal),
            new FormUrlEncodedContent([new("answer", "maybe")]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.All(await App.RowsAsync(SuggestionTable.Name), r => Assert.Null(r.GetString("Answer")));
    }

    [Fact]
    public async Task A_dry_run_sends_nothing_stores_no_suggestion_and_lists_what_it_would_suggest()
    {
        await App.SeedAsync(Person("ada"), Person("bea"), Person("cy"));

        var run = await Client.RunMatchAsync(dryRun: true);

        var preview = run["preview"]!.AsArray();
        Assert.NotEmpty(preview);
        Assert.All(preview, p => Assert.NotEmpty(p!["reasons"]!.AsArray()));
        Assert.Equal(0, run["emailsSent"]!.GetValue<int>());
        Assert.Empty(await App.RowsAsync(SuggestionTable.Name));
        await App.DrainAsync();
        Assert.Empty(App.Outbox.All());

        // A preview is a look at one week: a dry run eight days later forgets it.
        App.Clock.Advance(TimeSpan.FromDays(8));
        await Client.RunMatchAsync(dryRun: true);
        var old = await Client.GetFromJsonAsync<JsonObject>($"/api/organizer/match-runs/{run["runId"]}");
        Assert.Empty(old!["preview"]!.AsArray());
        Assert.True(old["previewForgotten"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_large_dry_run_is_read_a_page_at_a_time_by_practitioner_and_an_erase_takes_its_lines_out()
    {
        // 420 people who can all meet: 3 suggestions each, more than one page.
        await App.SeedAsync(Enumerable.Range(0, 420).Select(i => Person($"p{i:D3}", years: 3 + i % 20)).ToArray());

        var first = await Client.RunMatchAsync(dryRun: true);
        var runId = first["runId"]!.GetValue<string>();

        var suggestions = first["suggestions"]!.GetValue<int>();
        var pages = first["previewPages"]!.GetValue<int>();
        Assert.True(suggestions > MatchRunStatus.PreviewPageSize, $"{suggestions} suggestions");
        Assert.Equal((suggestions + MatchRunStatus.PreviewPageSize - 1) / MatchRunStatus.PreviewPageSize, pages);
        var all = new List<JsonNode>();
        for (var page = 0; page < pages; page++)
        {
            var status = await Client.GetFromJsonAsync<JsonObject>($"/api/organizer/match-runs/{runId}?page={page}");
            Assert.Equal(page, status!["previewPage"]!.GetValue<int>());
            all.AddRange(status["preview"]!.AsArray().Select(p => p!));
        }
        Assert.Equal(suggestions, all.Count);
        var names = all.Select(p => p["practitionerName"]!.GetValue<string>()).ToList();
        Assert.Equal(names.Order(StringComparer.InvariantCultureIgnoreCase), names);
        Assert.Empty((await Client.GetFromJsonAsync<JsonObject>($"/api/organizer/match-runs/{runId}?page={pages}"))!["preview"]!.AsArray());
        using var bad = await Client.GetAsync($"/api/organizer/match-runs/{runId}?page=first");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);

        // Two practitioners erased at once, both named on the first page: their lines leave every page; the rest stay.
        string[] erased = ["p007", "p008"];
        var named = all.Count(p => erased.Contains(p["practitionerId"]!.GetValue<string>()) || erased.Contains(p["peerId"]!.GetValue<string>()));
        Assert.True(named >= 4);
        var repository = App.Services.GetRequiredService<IPractitionerRepository>();
        var service = App.Services.GetRequiredService<PractitionerService>();
        await Task.WhenAll(erased.Select(async id => await service.EraseAsync((await repository.GetAsync(id, default))!, default)));
        var after = new List<JsonNode>();
        for (var page = 0; page < pages; page++)
        {
            after.AddRange((await Client.GetFromJsonAsync<JsonObject>($"/api/organizer/match-runs/{runId}?page={page}"))!["preview"]!.AsArray().Select(p => p!));
        }
        Assert.Equal(all.Count - named, after.Count);
        Assert.DoesNotContain(after, p => erased.Any(id => p.ToJsonString().Contains(id, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Retraining_promotes_a_better_model_and_only_a_better_one()
    {
        var retraining = App.Services.GetRequiredService<Retraining>();
        var models = App.Services.GetRequiredService<IRankerStore>();
        Assert.Null((await retraining.RetrainAsync(default)).Challenger); // no answers yet
        Assert.IsType<PriorScorer>(await models.CurrentAsync(default));

        await App.Services.GetRequiredService<SuggestionTable>().SaveAsync(SimulatedAnsweredSuggestions(), default);
        var first = await retraining.RetrainAsync(default);
        Assert.True(first.Promoted, $"{first.ChallengerNdcg} vs {first.IncumbentNdcg}");
        var current = Assert.IsType<LearnedRanker>(await models.CurrentAsync(default));

        App.Clock.Advance(TimeSpan.FromMinutes(1));
        var second = await retraining.RetrainAsync(default); // the same answers: the challenger is no better
        Assert.False(second.Promoted);
        Assert.Equal(current.Version, Assert.IsType<LearnedRanker>(await models.CurrentAsync(default)).Version);
        Assert.Single(await App.Services.GetRequiredService<ModelStore>().VersionsAsync(default));
    }

    [Fact]
    public async Task A_week_s_run_retrains_names_its_model_and_the_promoted_ranker_changes_the_suggestions()
    {
        await App.Services.GetRequiredService<SuggestionTable>().SaveAsync(SimulatedAnsweredSuggestions(), default);
        var people = PeerMatch.Bench.SyntheticPopulation.Generate(60, 3).People.Select(c => c with { Id = "q" + c.Id }).ToArray();
        await App.SeedAsync(people);

        var run = await Client.RunMatchAsync(force: true);

        Assert.StartsWith("ranker ", run["model"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.EndsWith("promoted", run["training"]!.GetValue<string>(), StringComparison.Ordinal);
        var made = (await App.RowsAsync(SuggestionTable.Name)).Where(r => r.PartitionKey.StartsWith('q')).Select(r => (r.PartitionKey, r.GetString("PeerId"))).ToHashSet();
        var byPrior = new MatchPlanner(PriorScorer.Instance).Plan(people, [], App.Clock.GetUtcNow()).Suggestions.Select(s => (s.PractitionerId, s.PeerId)).ToHashSet();
        Assert.NotEmpty(made);
        Assert.False(made.SetEquals(byPrior), "The promoted ranker suggested what the prior would have.");

        // A later run the same week plans nothing new: it names the serving model, and retrained nothing.
        var later = await Client.RunMatchAsync(force: true);
        Assert.Equal(run["model"]!.GetValue<string>(), later["model"]!.GetValue<string>());
        Assert.Null(later["training"]);
    }

    [Fact]
    public async Task Group_proposals_respect_size_region_model_and_convener()
    {
        var people = Enumerable.Range(0, 11).Select(i => Person($"ca{i}", models: ["facilitative"], years: 2 + i * 2, convenes: i is 3 or 9)).ToList();
        people.Add(Person("nyc", models: ["facilitative"], subdivision: "US-NY", city: "New York", timeZone: "America/New_York"));
        people.Add(Person("narr", models: ["narrative"]));
        await App.SeedAsync([.. people]);

        using var response = await Client.PostAsJsonAsync("/api/organizer/groups/proposals", new { region = "US-CA", model = "facilitative", size = 5 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var groups = (await response.Content.ReadFromJsonAsync<JsonObject>())!["groups"]!.AsArray();
        Assert.Equal(2, groups.Count);
        var all = groups.SelectMany(g => g!["members"]!.AsArray().Select(m => m!["id"]!.GetValue<string>())).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.DoesNotContain("nyc", all);
        Assert.DoesNotContain("narr", all);
        foreach (var group in groups)
        {
            Assert.InRange(group!["members"]!.AsArray().Count, 4, 5);
            Assert.Contains(group["convener"]!["id"]!.GetValue<string>(), new[] { "ca9", "ca3" });
            Assert.Contains("all practise facilitative mediation", group["reasons"]!.AsArray().Select(r => r!.GetValue<string>()));
        }
    }

    [Theory]
    [InlineData("{\"size\":3}", "size")]
    [InlineData("{\"size\":9}", "size")]
    [InlineData("{\"model\":\"shouting\"}", "model")]
    [InlineData("{\"region\":\"Narnia\"}", "region")]
    public async Task Bad_group_requests_are_400_problems(string body, string field)
    {
        using var response = await Client.PostAsync("/api/organizer/groups/proposals", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject().ContainsKey(field));
    }

    [Fact]
    public async Task The_export_holds_everything_stored_about_a_person_and_an_erase_leaves_no_trace()
    {
        // Everything a person can leave behind: suggestions both ways, a dry run's preview, introductions,
        // follow-ups, e-mails, an unsubscribe and a later sign-up kept beside the profile.
        var manage = await Intakes.SignUpAndConfirmAsync(App, Client, "ada@example.org", "Ada Example");
        await Intakes.SignUpAndConfirmAsync(App, Client, "bea@example.org", "Bea Example");
        await Intakes.SignUpAndConfirmAsync(App, Client, "cy@example.org", "Cy Example");
        await Client.RunMatchAsync(force: true, dryRun: true);
        await Client.RunMatchAsync(force: true);
        var adaDigest = await App.Outbox.WaitForAsync("ada@example.org", "digest");
        foreach (var address in new[] { "ada@example.org", "bea@example.org", "cy@example.org" })
        {
            var links = SuggestionLinks(await App.Outbox.WaitForAsync(address, "digest"));
            Assert.NotEmpty(links);
            foreach (var link in links)
            {
                await AnswerAsync(link, "yes");
            }
        }
        await App.Outbox.WaitForAsync("ada@example.org", "introduction");
        App.Clock.Advance(TimeSpan.FromDays(15));
        await App.Services.GetRequiredService<SuggestionAnswers>().QueueDueFollowUpsAsync(default);
        await App.Outbox.WaitForAsync("ada@example.org", "follow-up");
        using (var unsubscribed = await Client.PostAsync(Outbox.Relative(Outbox.Link(adaDigest, PeerMatchApp.PublicBaseUrl + "/api/unsubscribe?token=")),
            new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")])))
        {
            Assert.Equal(HttpStatusCode.OK, unsubscribed.StatusCode);
        }
        await Intakes.PostAsync(Client, Intakes.Valid("ada@example.org", "Ada Later"));
        await App.Outbox.WaitForAsync("ada@example.org", "confirmation", count: 2);
        await App.DrainAsync();

        var export = (await Client.GetFromJsonAsync<JsonObject>(manage))!;
        var id = export["id"]!.GetValue<string>();
        var stored = export["stored"]!.AsObject();
        int Exported(string kind) => stored[kind]!.AsArray().Count;
        var scan = await StorageScan.NamingAsync(App, id);
        int Found(string store, Func<Azure.Data.Tables.TableEntity, bool>? where = null) => scan.Count(f => f.Store == store && (where is null || where(f.Row!)));

        Assert.True(export["unsubscribed"]!.GetValue<bool>());
        Assert.Equal("Ada Later", Assert.Single(export["laterSignUps"]!.AsArray())!["name"]!.GetValue<string>());
        Assert.Equal(1 + 1, Found("Practitioners"));
        Assert.Equal(1, Found("EmailIndex"));
        Assert.Equal(Exported("suggestionsToYou"), Found(SuggestionTable.Name, r => r.PartitionKey == id));
        Assert.Equal(Exported("suggestionsOfYou"), Found(SuggestionTable.Name, r => r.PartitionKey != id));
        Assert.Equal(Exported("introductions"), Found(IntroductionTable.Name));
        Assert.Equal(Exported("emails"), Found("Deliveries"));
        Assert.Equal(Exported("weeklyPlans"), Found(WeekPlanTable.Name));
        Assert.Equal(Exported("groupMemberships"), Found(GroupTable.MembershipsName));
        Assert.Equal(Exported("groupSeats") + Exported("groupsConvened"), Found(GroupTable.Name));
        Assert.Equal(2, Exported("introductions"));
        Assert.Contains(stored["emails"]!.AsArray(), e => e!["RowKey"]!.GetValue<string>().StartsWith("follow-up-", StringComparison.Ordinal));
        Assert.NotEmpty(stored["matchRunPreviews"]!.AsArray());
        Assert.Contains(scan, f => f.Store.StartsWith("match-runs/", StringComparison.Ordinal));
        // Nothing stored about them is missing from the export.
        string[] exportedStores = ["Practitioners", "EmailIndex", SuggestionTable.Name, IntroductionTable.Name, "Deliveries", WeekPlanTable.Name, GroupTable.Name, GroupTable.MembershipsName];
        Assert.DoesNotContain(scan, f => !exportedStores.Contains(f.Store) && !f.Store.StartsWith("match-runs/", StringComparison.Ordinal));
        // A suggestion of them to someone else shows when, not that person's answer.
        Assert.All(stored["suggestionsOfYou"]!.AsArray(), s => Assert.Null(s!["Answer"]));

        using var erased = await Client.DeleteAsync(manage);

        Assert.Equal(HttpStatusCode.NoContent, erased.StatusCode);
        Assert.Empty(await StorageScan.NamingAsync(App, id, "ada@example.org", "Ada Example", "Ada Later"));
        Assert.NotEmpty(await StorageScan.NamingAsync(App, "bea@example.org"));

        // And nobody is suggested an erased practitioner in the weeks after.
        App.Clock.Advance(TimeSpan.FromDays(7));
        await Client.RunMatchAsync(force: true);
        await App.Outbox.WaitForAsync("bea@example.org", "digest", count: 2);
        Assert.Empty(await StorageScan.NamingAsync(App, id));
    }

    private async Task<JsonObject> AnswerAsync(Uri link, string answer)
    {
        using var response = await Client.PostAsync(link.PathAndQuery.Replace("?token", "/answer?token", StringComparison.Ordinal), new FormUrlEncodedContent([new("answer", answer)]));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private async Task<List<(string, string)>> PairsAsync() =>
        (await App.RowsAsync(SuggestionTable.Name)).Select(r => (r.PartitionKey, r.GetString("PeerId"))).ToList();

    private static List<Uri> SuggestionLinks(MimeMessage digest)
    {
        var text = digest.TextBody ?? "";
        var links = new List<Uri>();
        var prefix = PeerMatchApp.PublicBaseUrl + "/api/suggestions/";
        for (var start = text.IndexOf(prefix, StringComparison.Ordinal); start >= 0; start = text.IndexOf(prefix, start + 1, StringComparison.Ordinal))
        {
            var end = text.IndexOfAny([' ', '\r', '\n'], start);
            links.Add(new Uri(end < 0 ? text[start..] : text[start..end]));
        }
        return links;
    }

    private static List<StoredSuggestion> SimulatedAnsweredSuggestions()
    {
        var population = PeerMatch.Bench.SyntheticPopulation.Generate(3000, 9);
        var people = Featurizer.Featurize(population.People, Monday).ToDictionary(p => p.Id);
        var hidden = new PeerMatch.Bench.HiddenPreference(population);
        var random = new Random(9);
        var plan = new MatchPlanner(PriorScorer.Instance).Plan(population.People, [], Monday);
        return plan.Suggestions.Select(s => new StoredSuggestion(s.PractitionerId, s.PeerId, "2026-W49", "sim", s.Score, s.Reasons, s.Features, Monday,
            random.NextDouble() < hidden.Acceptance(people[s.PractitionerId], people[s.PeerId]) ? "yes" : "no", Monday)).ToList();
    }
}
