using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PeerMatch.Functions.Intake;
using PeerMatch.Functions.Links;
using PeerMatch.Functions.Matching;
using PeerMatch.Intake;
using PeerMatch.Practitioners;
using PeerMatch.Tests.Infrastructure;
using static PeerMatch.Tests.Matching.People;

namespace PeerMatch.Tests.Security;

/// <summary>An erase is complete whatever it races: answers sent at the same moment leave nothing that names the person.</summary>
public sealed class EraseRaceTests() : OrganizerFlowTest(new PeerMatchApp(services: s => s.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(Log)))
{
    private static readonly TelemetryCapture Log = new();

    private const int Races = 20;

    [Fact]
    public async Task An_erase_racing_ten_yes_answers_leaves_nothing_behind_twenty_times_over()
    {
        // Twenty pairs, each of its own language, so that each can be suggested only its partner.
        string[] languages = ["de", "fr", "es", "it", "pt", "nl", "sv", "da", "fi", "pl", "cs", "hu", "ro", "el", "tr", "ja", "ko", "zh", "ar", "he"];
        // Ids no other text contains, so that a search of storage for one finds only what names that person.
        static (string A, string B) Pair(string language) => ($"erasedq{language}q", $"stayingq{language}q");
        await App.SeedAsync([.. languages.SelectMany(l => new[] { Person(Pair(l).A, languages: [l]), Person(Pair(l).B, languages: [l]) })]);
        await Client.RunMatchAsync(force: true);
        await App.DrainAsync();
        var suggestions = await App.RowsAsync(SuggestionTable.Name);
        var links = App.Services.GetRequiredService<MatchingLinks>();
        var profiles = App.Services.GetRequiredService<IntakeLinks>();
        var leftovers = new List<string>();

        foreach (var language in languages)
        {
            var (a, b) = Pair(language);
            var toA = suggestions.Single(s => s.PartitionKey == a && s.GetString("PeerId") == b).RowKey;
            var toB = suggestions.Single(s => s.PartitionKey == b && s.GetString("PeerId") == a).RowKey;
            var answerOfA = (await links.SuggestionUrlAsync(a, toA, default)).PathAndQuery.Replace("?token", "/answer?token", StringComparison.Ordinal);
            var answerOfB = (await links.SuggestionUrlAsync(b, toB, default)).PathAndQuery.Replace("?token", "/answer?token", StringComparison.Ordinal);
            var profileOfA = (await profiles.ManageUrlAsync(a, default)).PathAndQuery;
            using (var bSays = await Client.PostAsync(answerOfB, Yes()))
            {
                Assert.Equal(HttpStatusCode.OK, bSays.StatusCode);
            }

            // Ten clicks on "yes" and the erase, all at once.
            var clicks = Enumerable.Range(0, 10).Select(_ => Task.Run(() => Client.PostAsync(answerOfA, Yes()))).ToList();
            var erase = Task.Run(() => Client.DeleteAsync(profileOfA));
            var answers = await Task.WhenAll(clicks);
            using var erased = await erase;
            await App.DrainAsync();

            Assert.Equal(HttpStatusCode.NoContent, erased.StatusCode);
            // Each click was told what happened: recorded (with or without the introduction) or gone, never a failure.
            Assert.All(answers, r => Assert.True(r.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound, $"{r.StatusCode}: {string.Join("\n", Log.Entries.Where(e => e.StartsWith("log Error", StringComparison.Ordinal) || e.StartsWith("log Warning", StringComparison.Ordinal)).Take(3))}"));
            leftovers.AddRange((await StorageScan.NamingAsync(App, a, $"{a}@example.org", $"{a} Example")).Select(f => $"{a}: {f}"));
            var exportOfB = await Client.GetStringAsync((await profiles.ManageUrlAsync(b, default)).PathAndQuery + "&format=json");
            if (exportOfB.Contains(a, StringComparison.Ordinal))
            {
                leftovers.Add($"{a}: named in {b}'s export");
            }
            foreach (var answer in answers)
            {
                answer.Dispose();
            }
        }

        Assert.True(leftovers.Count == 0, string.Join("\n", leftovers));
    }

    [Fact]
    public async Task An_erase_cut_short_reads_as_gone_at_once_and_the_nightly_purge_finishes_it()
    {
        await App.SeedAsync(Person("ada"), Person("bea"));
        await Client.RunMatchAsync(force: true);
        await App.DrainAsync();
        var repository = App.Services.GetRequiredService<IPractitionerRepository>();
        var ada = (await repository.GetAsync("ada", default))!;

        // The erase stopped right after its first step (a crash): the mark is there, nothing else is gone yet.
        await repository.MarkErasingAsync("ada", App.Clock.GetUtcNow(), default);
        Assert.Null(await repository.GetAsync("ada", default));
        using (var profile = await Client.GetAsync((await App.Services.GetRequiredService<IntakeLinks>().ManageUrlAsync("ada", default)).PathAndQuery))
        {
            Assert.Equal(HttpStatusCode.NotFound, profile.StatusCode);
        }
        Assert.NotEmpty(await StorageScan.NamingAsync(App, "ada"));

        App.Clock.Advance(PractitionerService.EraseCutShortAfter + TimeSpan.FromMinutes(1));
        await App.Services.GetRequiredService<PractitionerService>().PurgeUnconfirmedAsync(default);

        Assert.Empty(await StorageScan.NamingAsync(App, "ada", ada.Profile.Email));
        Assert.NotNull(await repository.GetAsync("bea", default));
    }

    private static FormUrlEncodedContent Yes() => new([new("answer", "yes")]);
}
