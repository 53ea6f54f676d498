using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PeerMatch.Matching;
using PeerMatch.Tests.Infrastructure;
using static PeerMatch.Tests.Matching.People;

namespace PeerMatch.Tests.Matching;

/// <summary>Exploration switched on (<c>PeerMatch__ExplorationShare</c>), on Azurite: what an organizer sees of it.</summary>
public sealed class ExplorationFlowTests() : OrganizerFlowTest(new PeerMatchApp(new() { ["PeerMatch:ExplorationShare"] = "0.34" }))
{
    [Fact]
    public async Task The_dry_run_marks_the_suggestions_chosen_to_learn_from_and_the_week_s_run_counts_them()
    {
        await App.SeedAsync([.. Enumerable.Range(1, 16).Select(i => Person($"p{i:00}", years: i, areas: i % 2 == 0 ? ["family"] : ["workplace"]))]);

        var preview = await Client.RunMatchAsync(dryRun: true);
        var explored = preview["preview"]!.AsArray().Where(s => s!["explored"]!.GetValue<bool>()).ToList();
        Assert.NotEmpty(explored);
        Assert.Equal(explored.Count, preview["explored"]!.GetValue<int>());
        // Both sides of an explored pair are marked, and nobody has two.
        Assert.Equal(explored.Count, explored.Select(s => s!["practitionerId"]!.GetValue<string>()).Distinct().Count());
        Assert.All(explored, s => Assert.Contains(explored, o => o!["practitionerId"]!.GetValue<string>() == s!["peerId"]!.GetValue<string>()));

        var run = await Client.RunMatchAsync(force: true);
        Assert.Equal(explored.Count, run["explored"]!.GetValue<int>());
        var stored = await App.Services.GetRequiredService<ISuggestionStore>().AllAsync(default).ToListAsync();
        Assert.Equal(preview["suggestions"]!.GetValue<int>(), stored.Count);
        // Each stored suggestion says whether it was chosen to learn from, for whoever studies the answers later.
        Assert.Equal(explored.Select(s => (s!["practitionerId"]!.GetValue<string>(), s["peerId"]!.GetValue<string>())).Order(),
            stored.Where(s => s.Explored).Select(s => (s.PractitionerId, s.PeerId)).Order());
    }
}
