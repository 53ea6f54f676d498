using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PeerMatch.Matching;
using PeerMatch.Practitioners;
using PeerMatch.Tests.Infrastructure;
using static PeerMatch.Tests.Matching.People;

namespace PeerMatch.Tests.Organizer;

/// <summary>Coverage on Azurite: who is not yet served, counted by country and model, each count with its most common reason.</summary>
public sealed class CoverageTests : OrganizerFlowTest
{
    [Fact]
    public async Task Coverage_counts_who_was_never_suggested_never_introduced_or_left_without_a_group_with_the_most_common_reason()
    {
        // Two pairs who can only meet each other in person, two in Germany nobody else shares a language with, and someone paused.
        string[] onlyGroups = ["case-consultation"];
        await App.SeedAsync(
            Person("ada", meeting: "in-person", seeking: onlyGroups), Person("bea", meeting: "in-person", seeking: onlyGroups),
            Person("cy", country: "GB", subdivision: null, city: "London", timeZone: "Europe/London", meeting: "in-person", models: ["transformative"]),
            Person("dee", country: "GB", subdivision: null, city: "London", timeZone: "Europe/London", meeting: "in-person", models: ["transformative"]),
            Person("eve", country: "DE", subdivision: null, city: "Berlin", timeZone: "Europe/Berlin", languages: ["de"], models: ["transformative"]),
            Person("fay", country: "DE", subdivision: null, city: "Munich", timeZone: "Europe/Berlin", languages: ["fr"], models: ["narrative"]));
        await App.SeedAsync(PractitionerStatus.Active, [Person("gus", seeking: onlyGroups)], pausedUntil: DateOnly.FromDateTime(MondayUtc.UtcDateTime).AddDays(30));

        var before = await CoverageAsync();
        Assert.Equal(7, before["confirmed"]!.GetValue<int>());
        Assert.False(before["stale"]!.GetValue<bool>());
        Assert.Equal(MondayUtc, before["countedAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(7, before["neverSuggested"]!["total"]!.GetValue<int>());
        Assert.Equal("confirmed since the last weekly plan", Count(before["neverSuggested"]!, "byCountry", "US")["reason"]!.GetValue<string>());

        await Client.RunMatchAsync(force: true);
        var answers = App.Services.GetRequiredService<SuggestionAnswers>();
        var suggestions = await App.Services.GetRequiredService<ISuggestionStore>().AllAsync(default).ToListAsync();
        async Task AnswerAsync(string who, string answer) => await answers.AnswerAsync(suggestions.Single(s => s.PractitionerId == who), answer, default);
        await AnswerAsync("ada", "yes");
        await AnswerAsync("bea", "yes");
        await AnswerAsync("cy", "yes");
        await AnswerAsync("dee", "no");

        var after = await CoverageAsync();
        var neverSuggested = after["neverSuggested"]!;
        Assert.True(3 == neverSuggested["total"]!.GetValue<int>(), after.ToJsonString());
        var germany = Count(neverSuggested, "byCountry", "DE");
        Assert.Equal(2, germany["count"]!.GetValue<int>());
        Assert.Equal("no one else works in their languages", germany["reason"]!.GetValue<string>());
        Assert.Equal("paused", Count(neverSuggested, "byCountry", "US")["reason"]!.GetValue<string>());
        var transformative = Count(neverSuggested, "byModel", "transformative");
        Assert.Equal((1, "no one else works in their languages"), (transformative["count"]!.GetValue<int>(), transformative["reason"]!.GetValue<string>()));

        // ada and bea were introduced; cy wanted dee, who said not now.
        var neverIntroduced = after["neverIntroduced"]!;
        Assert.Equal(5, neverIntroduced["total"]!.GetValue<int>());
        var britain = Count(neverIntroduced, "byCountry", "GB");
        Assert.Equal(2, britain["count"]!.GetValue<int>());
        Assert.Contains(britain["reason"]!.GetValue<string>(), new[] { "the peers they wanted said not now", "said not now to every suggestion" });
        Assert.Equal("never suggested", Count(neverIntroduced, "byCountry", "DE")["reason"]!.GetValue<string>());
        Assert.DoesNotContain(neverIntroduced["byCountry"]!.AsArray(), c => c!["key"]!.GetValue<string>() == "US" && c["count"]!.GetValue<int>() > 1);

        // Everyone but ada, bea and gus seeks a group (the default); none can form with so few.
        var seeking = after["seekingAGroupInNone"]!;
        Assert.Equal(4, seeking["total"]!.GetValue<int>());
        Assert.All(seeking["byCountry"]!.AsArray(), c => Assert.False(string.IsNullOrWhiteSpace(c!["reason"]!.GetValue<string>())));
        Assert.Equal(after["lastPlannedWeek"]!.GetValue<string>(), IsoWeeks.Planning(MondayUtc));
    }

    [Fact]
    public async Task Coverage_needs_the_organizer_key()
    {
        using var anonymous = App.CreateClient();
        using var response = await anonymous.GetAsync("/api/organizer/coverage");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private async Task<JsonObject> CoverageAsync()
    {
        using var response = await Client.GetAsync("/api/organizer/coverage");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private static JsonNode Count(JsonNode gap, string by, string key) =>
        Assert.Single(gap[by]!.AsArray(), c => c!["key"]!.GetValue<string>() == key)!;
}

/// <summary>Coverage where counting takes longer than a request may wait (here, no time at all): the worker counts.</summary>
public sealed class CoverageCountedByTheWorkerTests() : OrganizerFlowTest(new PeerMatchApp(new() { ["PeerMatch:CoverageCountWithin"] = "00:00:00" }))
{
    [Fact]
    public async Task Organizers_get_the_last_count_marked_stale_while_the_worker_counts_again()
    {
        await App.SeedAsync(Person("ada"), Person("bea"));

        using var first = await Client.GetAsync("/api/organizer/coverage");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, first.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(60), first.Headers.RetryAfter!.Delta);
        await App.DrainAsync();

        var counted = await CoverageAsync();
        Assert.True(counted["stale"]!.GetValue<bool>());
        Assert.Equal(2, counted["confirmed"]!.GetValue<int>());
        Assert.Equal(MondayUtc, counted["countedAt"]!.GetValue<DateTimeOffset>());
        await App.DrainAsync(); // that answer asked for a count too: let it finish

        // Someone confirms; the next answer is still the last count, and asks the worker for a new one.
        await App.SeedAsync(Person("cy"));
        App.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(2, (await CoverageAsync())["confirmed"]!.GetValue<int>());
        await App.DrainAsync();
        var recounted = await CoverageAsync();
        Assert.Equal(3, recounted["confirmed"]!.GetValue<int>());
        Assert.Equal(MondayUtc.AddMinutes(1), recounted["countedAt"]!.GetValue<DateTimeOffset>());
    }

    private async Task<JsonObject> CoverageAsync()
    {
        using var response = await Client.GetAsync("/api/organizer/coverage");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }
}
