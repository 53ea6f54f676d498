using PeerMatch.Matching;
using PeerMatch.Matching.Geo;
using PeerMatch.Practitioners;
using static PeerMatch.Tests.Matching.People;

namespace PeerMatch.Tests.Matching;

/// <summary>Where practitioners are: at their city when the gazetteer knows it, and what that makes near.</summary>
public sealed class LocationsTests
{
    private static MatchProfile[] InPerson(params Candidate[] people) => Featurizer.Featurize(people, Monday);

    [Fact]
    public void Two_cities_of_one_region_are_as_far_apart_as_they_are()
    {
        var p = InPerson(
            Person("oak", city: "Oakland", meeting: "in-person"),
            Person("ber", city: "Berkeley", meeting: "in-person"),
            Person("la", city: "Los Angeles", meeting: "in-person"));

        Assert.InRange(PairFeatures.DistanceKm(p[0], p[1])!.Value, 3, 15);
        Assert.InRange(PairFeatures.DistanceKm(p[0], p[2])!.Value, 500, 600);
        Assert.True(PairFeatures.CanMeetInPerson(p[0], p[1]));
        Assert.False(PairFeatures.CanMeetInPerson(p[0], p[2]));
        Assert.Contains("about 10 km apart", Reasons.For(p[0], p[1]));
        Assert.Empty(Plan([p[0].Candidate, p[2].Candidate]).Suggestions);
    }

    [Fact]
    public void Cities_are_found_in_countries_without_subdivisions_whatever_their_case_and_accents()
    {
        var paris = Locations.Locate(new Region("FR", null, "Paris", "Europe/Paris"))!.Value;
        var lyon = Locations.Locate(new Region("FR", null, "lyon", "Europe/Paris"))!.Value;

        Assert.True(paris.IsCity && lyon.IsCity);
        Assert.InRange(paris.KilometresTo(lyon), 380, 410);
        Assert.Equal(Locations.Locate(new Region("CA", "CA-QC", "Montréal", "America/Toronto")), Locations.Locate(new Region("CA", "CA-QC", "MONTREAL", "America/Toronto")));
        // The name its people write, for a city the gazetteer names in English.
        var munich = Locations.Locate(new Region("DE", "DE-BY", "München", "Europe/Berlin"))!.Value;
        Assert.True(munich.IsCity);
        Assert.Equal(Locations.Locate(new Region("DE", "DE-BY", "Munich", "Europe/Berlin")), munich);
    }

    [Fact]
    public void A_name_several_places_share_is_taken_in_the_subdivision_given_and_left_alone_without_one()
    {
        var illinois = Locations.Locate(new Region("US", "US-IL", "Springfield", "America/Chicago"))!.Value;
        var unsure = Locations.Locate(new Region("US", null, "Springfield", "America/Chicago"))!.Value;

        Assert.True(illinois.IsCity);
        Assert.InRange(illinois.Latitude, 39.5, 40.1);
        Assert.False(unsure.IsCity);
        Assert.Equal(Locations.Locate(new Region("US", null, null, "America/Chicago")), unsure);
        // A name known only elsewhere is not taken for a place in the subdivision given.
        Assert.Equal(Locations.Locate(new Region("US", "US-CA", null, "America/Los_Angeles")), Locations.Locate(new Region("US", "US-CA", "Chicago", "America/Los_Angeles")));
    }

    [Fact]
    public void Someone_whose_city_is_unknown_is_placed_in_the_middle_of_their_region_and_counts_as_near_within_it()
    {
        var p = InPerson(
            Person("oak", city: "Oakland", meeting: "in-person"),
            Person("far", city: "A hamlet nobody has heard of", meeting: "in-person"));

        Assert.False(p[1].Place!.Value.IsCity);
        Assert.Equal(Locations.Locate(new Region("US", "US-CA", null, "America/Los_Angeles")), p[1].Place);
        Assert.True(PairFeatures.CanMeetInPerson(p[0], p[1]));
        Assert.Contains("both in California, United States", Reasons.For(p[0], p[1]));
    }
}
