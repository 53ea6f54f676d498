using System.Collections.Frozen;
using System.Globalization;
using System.Reflection;
using PeerMatch.Intake;

namespace PeerMatch.Matching.Geo;

/// <summary>A point on Earth, in degrees.</summary>
public readonly record struct Place(double Latitude, double Longitude)
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
/// Where a region is: the centroid of its subdivision when PeerMatch knows it, else of its country.
/// The table (Geo/centroids.csv) is small and approximate: good for "12 km" versus "900 km", not for addresses.
/// </summary>
public static class Locations
{
    private static readonly FrozenDictionary<string, Place> Centroids = Load();

    public static Place? Locate(Region region)
    {
        if (region.Subdivision is { } subdivision && Centroids.TryGetValue(subdivision, out var place))
        {
            return place;
        }
        return Centroids.TryGetValue(region.Country, out var country) ? country : null;
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
