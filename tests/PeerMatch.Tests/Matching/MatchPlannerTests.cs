using PeerMatch.Bench;
using PeerMatch.Matching;
using static PeerMatch.Tests.Matching.People;

namespace PeerMatch.Tests.Matching;

public sealed class MatchPlannerTests
{
    [Fact]
    public void Compatible_neighbours_are_suggested_to_each_other_with_reasons()
    {
        var plan = Plan([Person("ada"), Person("bea")]);

        var toAda = Assert.Single(plan.Suggestions, s => s.PractitionerId == "ada");
        var toBea = Assert.Single(plan.Suggestions, s => s.PractitionerId == "bea");
        Assert.Equal("bea", toAda.PeerId);
        Assert.Equal("ada", toBea.PeerId);
        Assert.InRange(toAda.Reasons.Count, 2, 4);
        Assert.Contains("both practise understanding-based mediation", toAda.Reasons);
        Assert.Contains("both in Oakland", toAda.Reasons);
    }

    [Fact]
    public void Nobody_is_suggested_to_themselves_and_everyone_gets_at_most_three()
    {
        var crowd = Enumerable.Range(0, 12).Select(i => Person($"p{i}")).ToList();

        var plan = Plan(crowd);

        Assert.DoesNotContain(plan.Suggestions, s => s.PractitionerId == s.PeerId);
        Assert.All(plan.Suggestions.GroupBy(s => s.PractitionerId), g => Assert.InRange(g.Count(), 1, 3));
        Assert.Equal(plan.Suggestions.Count, plan.Suggestions.Select(s => (s.PractitionerId, s.PeerId)).Distinct().Count());
    }

    [Fact]
    public void Every_suggestion_goes_both_ways()
    {
        var crowd = Enumerable.Range(0, 20).Select(i => Person($"p{i}", years: i, models: i % 2 == 0 ? ["facilitative"] : ["facilitative", "narrative"])).ToList();

        var plan = Plan(crowd);

        Assert.NotEmpty(plan.Suggestions);
        Assert.All(plan.Suggestions, s => Assert.Contains(plan.Suggestions, t => t.PractitionerId == s.PeerId && t.PeerId == s.PractitionerId));
    }

    [Fact]
    public void People_without_a_shared_language_are_never_suggested()
    {
        var plan = Plan([Person("ada", languages: ["en"]), Person("bruno", languages: ["pt"])]);

        Assert.Empty(plan.Suggestions);
        Assert.StartsWith("Nobody on PeerMatch yet works in English.", plan.NoSuggestionReasons["ada"], StringComparison.Ordinal);
        // The one change that would help: bruno could meet ada, and works in Portuguese.
        Assert.Contains("If you also work in Portuguese, adding it to your profile would help most: 1 practitioner who could meet you works in it.",
            plan.NoSuggestionReasons["ada"], StringComparison.Ordinal);
    }

    [Fact]
    public void In_person_only_practitioners_need_nearness()
    {
        var plan = Plan([
            Person("ada", meeting: "in-person"),
            Person("nina", meeting: "in-person", subdivision: "US-NY", city: "New York", timeZone: "America/New_York"),
        ]);

        Assert.Empty(plan.Suggestions);
    }

    [Fact]
    public void Online_practitioners_need_overlapping_working_hours()
    {
        var far = Plan([Person("ada", meeting: "online"), Person("kai", meeting: "online", country: "IN", subdivision: null, city: "Bengaluru", timeZone: "Asia/Kolkata")]);
        var close = Plan([Person("ada", meeting: "online"), Person("nina", meeting: "online", subdivision: "US-NY", city: "New York", timeZone: "America/New_York")]);

        Assert.Empty(far.Suggestions);
        var suggestion = Assert.Single(close.Suggestions, s => s.PractitionerId == "ada");
        Assert.Contains(suggestion.Reasons, r => r.Contains("shared working time", StringComparison.Ordinal));
    }

    [Fact]
    public void Excluded_pairs_are_never_suggested_in_either_direction()
    {
        var plan = Plan([Person("ada"), Person("bea"), Person("cy")], excluded: [("bea", "ada")]);

        Assert.DoesNotContain(plan.Suggestions, s => (s.PractitionerId, s.PeerId) is ("ada", "bea") or ("bea", "ada"));
        Assert.Contains(plan.Suggestions, s => (s.PractitionerId, s.PeerId) == ("ada", "cy"));
    }

    [Fact]
    public void A_mentee_meets_an_experienced_mentor_and_is_told_why()
    {
        var plan = Plan([
            Person("newbie", years: 1, seeking: ["mentor"]),
            Person("veteran", years: 20, seeking: ["mentee"]),
        ]);

        var toNewbie = Assert.Single(plan.Suggestions, s => s.PractitionerId == "newbie");
        Assert.Contains("veteran has 20 years of experience and is open to mentoring", toNewbie.Reasons);
        var toVeteran = Assert.Single(plan.Suggestions, s => s.PractitionerId == "veteran");
        Assert.Contains("newbie is looking for a mentor with your experience", toVeteran.Reasons);
    }

    [Fact]
    public void A_suggestion_must_suit_both_sides_not_just_one()
    {
        // For ada both are similar; but veteran, who only wants a mentee, is a poor match for ada
        // (a 7-year peer) while twin suits her both ways.
        var plan = Plan([
            Person("ada", models: ["transformative"], years: 7, seeking: ["peer-group", "looping-practice"], areas: ["family"]),
            Person("twin", models: ["transformative"], years: 8, seeking: ["peer-group", "looping-practice"], areas: ["family"]),
            Person("veteran", models: ["transformative", "evaluative", "insight"], years: 40, seeking: ["mentee"], areas: ["commercial"], meeting: "online"),
        ]);

        var toAda = plan.Suggestions.Where(s => s.PractitionerId == "ada").Select(s => s.PeerId).ToList();
        Assert.Equal("twin", toAda[0]);
        var ab = plan.Suggestions.Single(s => s.PractitionerId == "ada" && s.PeerId == "twin").Score;
        Assert.All(plan.Suggestions.Where(s => s.PeerId == "veteran" || s.PractitionerId == "veteran"), s => Assert.True(s.Score < ab));
    }

    [Fact]
    public void A_person_nobody_suits_is_told_why()
    {
        var plan = Plan([Person("ada", meeting: "in-person"), Person("far", meeting: "in-person", country: "AU", subdivision: "AU-NSW", city: "Sydney", timeZone: "Australia/Sydney")]);

        Assert.Empty(plan.Suggestions);
        Assert.Equal(2, plan.NoSuggestionReasons.Count);
        Assert.StartsWith("Nobody who works in English is within reach of you for meeting in person", plan.NoSuggestionReasons["ada"], StringComparison.Ordinal);
        // Counted by kind for organizers (coverage), without the person's own details.
        Assert.Equal("nobody within reach in person", Obstacles.Kind(plan.NoSuggestionReasons["ada"]));
    }

    [Fact]
    public void An_in_person_practitioner_with_peers_online_is_told_that_choosing_either_would_help()
    {
        var plan = Plan([
            Person("ada", meeting: "in-person"),
            Person("lon", meeting: "either", country: "US", subdivision: "US-NY", city: "New York", timeZone: "America/New_York"),
            Person("bos", meeting: "online", country: "US", subdivision: "US-MA", city: "Boston", timeZone: "America/New_York"),
        ]);

        Assert.DoesNotContain(plan.Suggestions, s => s.PractitionerId == "ada");
        Assert.Contains("Choosing “in person or online” in your profile would help most: 2 practitioners who work in English could then meet you.",
            plan.NoSuggestionReasons["ada"], StringComparison.Ordinal);
    }

    [Fact]
    public void Someone_whose_every_peer_was_suggested_recently_is_told_so()
    {
        var plan = Plan([Person("ada"), Person("bea")], excluded: [("ada", "bea")]);

        Assert.Empty(plan.Suggestions);
        Assert.StartsWith("Everyone who could meet you (1 practitioner) has been suggested to you in the last 12 weeks", plan.NoSuggestionReasons["ada"], StringComparison.Ordinal);
        Assert.Equal("everyone within reach was suggested recently", Obstacles.Kind(plan.NoSuggestionReasons["ada"]));
    }

    [Fact]
    public void People_who_share_a_peer_group_are_never_suggested_to_each_other_and_are_told_why()
    {
        var plan = Plan([Person("ada"), Person("bea"), Person("cy")], groupmates: [("ada", "bea"), ("ada", "cy"), ("bea", "cy")]);

        Assert.Empty(plan.Suggestions);
        Assert.StartsWith("Everyone who could meet you (2 practitioners) is in a peer group with you already", plan.NoSuggestionReasons["ada"], StringComparison.Ordinal);
        Assert.Equal("everyone within reach is in their peer group", Obstacles.Kind(plan.NoSuggestionReasons["ada"]));
    }

    [Fact]
    public void A_groupmate_leaves_room_for_someone_outside_the_group()
    {
        var plan = Plan([Person("ada"), Person("bea"), Person("cy")], excluded: [("ada", "cy")], groupmates: [("ada", "bea")]);

        Assert.DoesNotContain(plan.Suggestions, s => s.PractitionerId == "ada");
        Assert.Contains(plan.Suggestions, s => (s.PractitionerId, s.PeerId) == ("bea", "cy"));
        Assert.StartsWith("Everyone who could meet you (2 practitioners) is in a peer group with you, has been suggested to you in the last 12 weeks",
            plan.NoSuggestionReasons["ada"], StringComparison.Ordinal);
    }

    [Fact]
    public void Distances_come_from_real_centroids()
    {
        var plan = Plan([
            Person("ada", meeting: "in-person", subdivision: "DE-BE", country: "DE", city: "Berlin", timeZone: "Europe/Berlin", languages: ["de"]),
            Person("ben", meeting: "in-person", subdivision: "DE-BB", country: "DE", city: "Potsdam", timeZone: "Europe/Berlin", languages: ["de"]),
        ]);

        var reasons = Assert.Single(plan.Suggestions, s => s.PractitionerId == "ada").Reasons;
        Assert.Contains(reasons, r => r is "about 30 km apart" or "about 40 km apart" or "about 20 km apart");
    }

    [Fact]
    public void Exploring_gives_about_the_set_share_of_people_one_suggestion_to_learn_from_that_still_passes_every_rule()
    {
        var population = SyntheticPopulation.Generate(1200, seed: 5).People;
        var plain = new MatchPlanner(PriorScorer.Instance).Plan(population, [], Monday);
        var exploring = new MatchPlanner(PriorScorer.Instance, explorationShare: 0.2).Plan(population, [], Monday);
        var nextWeek = new MatchPlanner(PriorScorer.Instance, explorationShare: 0.2).Plan(population, [], Monday.AddDays(7));

        Assert.DoesNotContain(plain.Suggestions, s => s.Explored);
        Assert.Equal(0, plain.Stats.Explored);
        var explored = exploring.Suggestions.Where(s => s.Explored).ToList();
        Assert.Equal(2 * exploring.Stats.Explored, explored.Count);
        // About a fifth of the people draw exploration; each such pair explores for both, so 20–40 % of people get one.
        var people = explored.Select(s => s.PractitionerId).ToList();
        Assert.InRange(people.Count, 0.15 * population.Count, 0.45 * population.Count);
        Assert.Equal(people.Count, people.Distinct().Count());
        var profiles = Featurizer.Featurize(population, Monday).ToDictionary(p => p.Id);
        Assert.All(explored, s =>
        {
            Assert.True(PairFeatures.CanMeet(profiles[s.PractitionerId], profiles[s.PeerId]));
            Assert.True(s.Score >= PriorScorer.Instance.MinimumScore);
            Assert.NotEmpty(s.Reasons);
        });
        // Nobody gets more suggestions for it, and the draw is the week's: another week explores other pairs.
        Assert.All(exploring.Suggestions.GroupBy(s => s.PractitionerId), g => Assert.True(g.Count() <= 3));
        Assert.Equal(plain.Suggestions.Count, exploring.Suggestions.Count, tolerance: plain.Suggestions.Count / 50.0);
        var pairs = explored.Select(s => (s.PractitionerId, s.PeerId)).ToHashSet();
        Assert.True(nextWeek.Suggestions.Where(s => s.Explored).Count(s => pairs.Contains((s.PractitionerId, s.PeerId))) < explored.Count / 4);
    }
}
