using System.Collections.Frozen;
using System.Globalization;
using System.Reflection;
using PeerMatch.Practitioners;

namespace PeerMatch.Matching.Geo;

/// <summary>A point on Earth, in degrees; <see cref="IsCity"/> when it is a city's, not the middle of a region.</summary>
public readonly record struct Place(double Latitude, double Longitude, bool IsCity = false)
{
    private const double EarthRadiusKm = 6371;

    /// <summary>Great-circle distance (haversine).</summary>
    public double KilometresTo(Place other)
    {
        var dLat = Radians(other.Latitude - Latitude);
        var dLon = Radians(other.Longitude - Longitude);
        var h = Math.Sin(dLat / 2) * Math.Sin(dLat / 2)
            + Math.Cos(Radians(Latitude)) * Math.Cos(Radians(other.Latitude)) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2);
        return 2 * EarthRadiusKm * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }

    private static double Radians(double degrees) => degrees * Math.PI / 180;
}

/// <summary>
/// Where a practitioner is: their city, when the <see cref="Gazetteer"/> knows it; else the centroid of their
/// subdivision when PeerMatch knows it, else of their country. The centroids (Geo/centroids.csv) are small and
/// approximate: a fallback, good for "900 km" versus "3,000 km".
/// </summary>
public static class Locations
{
    private static readonly FrozenDictionary<string, Place> Centroids = Load();

    public static Place? Locate(Region region)
    {
        Place? middle = region.Subdivision is { } subdivision && Centroids.TryGetValue(subdivision, out var place) ? place : null;
        if (region.City is { Length: > 0 } city && Gazetteer.Find(region.Country, region.Subdivision, city, middle) is { } found)
        {
            return found;
        }
        return middle ?? (Centroids.TryGetValue(region.Country, out var country) ? country : null);
    }

    private static FrozenDictionary<string, Place> Load() =>
        ShippedRows("centroids.csv", ',').ToFrozenDictionary(
            row => row[0],
            row => new Place(double.Parse(row[1], CultureInfo.InvariantCulture), double.Parse(row[2], CultureInfo.InvariantCulture)),
            StringComparer.Ordinal);

    /// <summary>The rows of a table shipped in this assembly (<c>Geo/</c>): its lines but blank ones and # comments, split at <paramref name="separator"/>.</summary>
    internal static IEnumerable<string[]> ShippedRows(string file, char separator)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("PeerMatch.Matching.Geo." + file)
            ?? throw new InvalidOperationException($"{file} is not embedded.");
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && line[0] != '#')
            {
                yield return line.Split(separator);
            }
        }
    }
}
