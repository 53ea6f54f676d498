using PeerMatch.Places;
using PeerMatch.Practitioners;

namespace PeerMatch.Tests.Intake;

/// <summary>Names people read and type for the codes PeerMatch keeps.</summary>
public sealed class PlaceNamesTests
{
    [Theory]
    [InlineData("DE", "Germany")]
    [InlineData("EH", "Western Sahara")]
    [InlineData("KR", "South Korea")]
    [InlineData("CD", "Democratic Republic of the Congo")]
    [InlineData("VG", "British Virgin Islands")]
    public void Countries_read_as_people_name_them(string code, string name) => Assert.Equal(name, PlaceNames.Country(code));

    [Fact]
    public void A_region_is_found_by_its_name_as_typed_or_by_its_code()
    {
        Assert.Equal("DE-BW", PlaceNames.FindSubdivision("DE", "baden-wurttemberg"));
        Assert.Equal("DE-BB", PlaceNames.FindSubdivision("DE", " DE-bb "));
        Assert.Equal("ES-CT", PlaceNames.FindSubdivision("ES", "Catalunya"));
        Assert.Null(PlaceNames.FindSubdivision("DE", "California"));
    }

    [Fact]
    public void A_name_shared_by_a_division_and_its_district_means_the_division_and_the_district_keeps_its_code()
    {
        Assert.Equal("BD-A", PlaceNames.FindSubdivision("BD", "Barishal"));
        Assert.Equal("Barishal", PlaceNames.SubdivisionLabel("BD-A"));
        Assert.Equal("Barishal (BD-06)", PlaceNames.SubdivisionLabel("BD-06"));
        Assert.Equal("BD-06", PlaceNames.FindSubdivision("BD", PlaceNames.SubdivisionLabel("BD-06")));
        Assert.Equal(PlaceNames.SubdivisionsOf("BD").Count, PlaceNames.SubdivisionsOf("BD").Select(s => s.Name).Distinct().Count());
    }

    [Fact]
    public void Languages_are_found_by_name_and_named_plainly()
    {
        Assert.Equal("de", PlaceNames.FindLanguage("German"));
        Assert.Equal("el", PlaceNames.FindLanguage("greek"));
        Assert.Equal("Norwegian Bokmål", PlaceNames.Language("nb"));
        Assert.Null(PlaceNames.FindLanguage("Klingon"));
    }

    [Fact]
    public void A_place_is_described_without_repeating_a_name()
    {
        Assert.Equal("Potsdam, Brandenburg, Germany", PlaceNames.Describe(new Region("DE", "DE-BB", "Potsdam", "Europe/Berlin")));
        Assert.Equal("Berlin, Germany", PlaceNames.Describe(new Region("DE", "DE-BE", "Berlin", "Europe/Berlin")));
        Assert.Equal("Germany", PlaceNames.Describe(new Region("DE", null, null, "Europe/Berlin")));
    }
}
