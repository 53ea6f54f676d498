using PeerMatch.Bench;
using PeerMatch.Matching;
using PeerMatch.Matching.Groups;
using static PeerMatch.Tests.Matching.People;

namespace PeerMatch.Tests.Groups;

/// <summary>The group-formation engine on its own: who is grouped, the rules every group keeps, and how good the groups are.</summary>
public sealed class GroupFormationTests
{
    private static readonly HashSet<string> NoneGrouped = [];

    private static GroupPlan Form(IReadOnlyList<Candidate> people, int size = GroupFormation.DefaultSize, IReadOnlySet<string>? grouped = null, string? model = null) =>
        new GroupFormation(PriorScorer.Instance, size).Form(people, grouped ?? NoneGrouped, Monday, model);

    private static Candidate Berliner(string id, string[] seeking, bool convenes = false, string meeting = "either") =>
        Person(id, country: "DE", subdivision: "DE-BE", city: "Berlin", timeZone: "Europe/Berlin", languages: ["de"], seeking: seeking, convenes: convenes, meeting: meeting);

    [Fact]
    public void Three_who_ask_for_a_group_are_told_why_none_forms_and_two_more_seekers_make_one_without_anyone_who_did_not_ask()
    {
        // Five German-speaking understanding-based mediators; three of them seek a peer group, one of those would convene.
        List<Candidate> people =
        [
            Berliner("anna", ["peer-group"], convenes: true), Berliner("ben", ["peer-group", "co-mediation"]), Berliner("carla", ["peer-group"]),
            Berliner("dirk", ["case-consultation"]), Berliner("eva", ["co-mediation"]),
        ];

        var few = Form(people);

        Assert.Empty(few.Groups);
        Assert.Equal(["anna", "ben", "carla"], few.Unplaced.Select(u => u.Id).Order());
        Assert.All(few.Unplaced, u => Assert.Contains("Only 2 others looking for a peer group", u.Reason, StringComparison.Ordinal));

        // Two online-only seekers in the same time zone join.
        people.Add(Berliner("fritz", ["peer-group"], meeting: "online"));
        people.Add(Person("greta", country: "DE", subdivision: "DE-HH", city: "Hamburg", timeZone: "Europe/Berlin", languages: ["de"], meeting: "online"));

        var plan = Form(people);

        var group = Assert.Single(plan.Groups);
        Assert.Equal(["anna", "ben", "carla", "fritz", "greta"], group.Members.Select(m => m.Id).Order());
        Assert.Equal(("anna", true, "online", "understanding-based", "de"), (group.Convener.Id, group.ConvenerVolunteered, group.Meeting, group.Model, group.Language));
        Assert.Empty(plan.Unplaced);
    }

    [Fact]
    public void Every_group_keeps_size_model_language_and_meeting_rules_and_everyone_is_placed_once_or_told_why_not()
    {
        var population = SyntheticPopulation.Generate(800, seed: 11);
        var plan = Form(population.People, size: 5);
        var byId = population.People.ToDictionary(p => p.Id);
        var people = Featurizer.Featurize(population.People, Monday).ToDictionary(p => p.Id);

        Assert.NotEmpty(plan.Groups);
        var placed = plan.Groups.SelectMany(g => g.Members.Select(m => m.Id)).ToList();
        Assert.Equal(placed.Count, placed.Distinct().Count());
        Assert.Equal(population.People.Where(p => p.Profile.Seeking.Contains("peer-group")).Select(p => p.Id).Order(),
            placed.Concat(plan.Unplaced.Select(u => u.Id)).Order());
        Assert.All(plan.Unplaced, u => Assert.False(string.IsNullOrWhiteSpace(u.Reason)));
        foreach (var group in plan.Groups)
        {
            var members = group.Members.Select(m => people[m.Id]).ToList();
            var convener = people[group.Convener.Id];
            Assert.InRange(members.Count, GroupFormation.MinimumSize, 5);
            Assert.Equal(convener.Id, members[0].Id);
            Assert.All(members, m => Assert.Contains(group.Model, m.Profile.Models));
            Assert.All(members, m => Assert.Contains(group.Language, m.Profile.Languages));
            if (group.Meeting == "in-person")
            {
                Assert.All(members, m => Assert.True(m.InPerson && (PairFeatures.DistanceKm(convener, m) ?? 0) <= GroupFormation.InPersonReachKm, $"{m.Id} is out of reach"));
            }
            else
            {
                Assert.All(members, m => Assert.True(m.Online));
                Assert.InRange(members.Max(m => m.UtcOffsetHours) - members.Min(m => m.UtcOffsetHours), 0, GroupFormation.OnlineSpreadHours);
            }
            // A volunteer leads every group that has one who could (in person: with everyone within reach).
            var couldLead = members.Where(m => m.Profile.WillingToConvene).Any(m => group.Meeting == "online"
                || members.All(o => (PairFeatures.DistanceKm(m, o) ?? 0) <= GroupFormation.InPersonReachKm));
            Assert.True(group.ConvenerVolunteered || !couldLead, $"{group.Convener.Id} convenes although a volunteer could");
            Assert.Equal(group.ConvenerVolunteered, byId[group.Convener.Id].Profile.WillingToConvene);
        }
    }

    [Fact]
    public void People_already_in_a_group_are_not_taken_again_and_a_model_filter_keeps_to_that_model()
    {
        var people = Enumerable.Range(0, 10).Select(i => Person($"p{i}", models: ["facilitative", "narrative"], convenes: i == 0)).ToList();

        var plan = Form(people, grouped: new HashSet<string> { "p0", "p1" }, model: "narrative");

        var group = Assert.Single(plan.Groups);
        Assert.DoesNotContain(group.Members, m => m.Id is "p0" or "p1");
        Assert.Equal("narrative", group.Model);
        Assert.False(group.ConvenerVolunteered); // the volunteer is in a group already
        Assert.Contains("is asked", group.Reasons[3], StringComparison.Ordinal);
    }

    [Fact]
    public void On_a_synthetic_population_the_local_search_beats_the_greedy_groups_which_beat_random_groups_of_the_same_sizes()
    {
        var result = GroupEvaluation.Run(1500, seed: 42, TextWriter.Null, weeksOfAnswers: 1);
        var (random, greedy, improved) = (result.Rows[0], result.Rows[1], result.Rows[2]);

        Assert.True(greedy.MeanPreference > random.MeanPreference + 0.2, $"greedy {greedy.MeanPreference:0.000}, random {random.MeanPreference:0.000}");
        Assert.True(improved.MeanPreference > greedy.MeanPreference, $"improved {improved.MeanPreference:0.000}, greedy {greedy.MeanPreference:0.000}");
        Assert.True(improved.MeanWorstServed > greedy.MeanWorstServed, $"improved {improved.MeanWorstServed:0.000}, greedy {greedy.MeanWorstServed:0.000}");
        Assert.True(improved.Placed >= greedy.Placed);
    }
}
