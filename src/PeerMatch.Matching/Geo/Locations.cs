using System.Collections.Frozen;
using System.Globalization;
using System.Reflection;
using PeerMatch.Intake;

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

    private static FrozenDictionary<string, Place> Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("PeerMatch.Matching.Geo.centroids.csv")
            ?? throw new InvalidOperationException("centroids.csv is not embedded.");
        using var reader = new StreamReader(stream);
        var centroids = new Dictionary<string, Place>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            var parts = line.Split(',');
            centroids[parts[0]] = new Place(
                double.Parse(parts[1], CultureInfo.InvariantCulture),
                double.Parse(parts[2], CultureInfo.InvariantCulture));
        }
        return centroids.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
