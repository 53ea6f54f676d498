using System.ComponentModel.DataAnnotations;

namespace PeerMatch.Functions.Organizer;

/// <summary>The organizer console's settings.</summary>
public sealed class OrganizerOptions
{
    /// <summary>
    /// How long <c>GET /api/organizer/coverage</c> may count before it answers with the last count (marked stale) and
    /// leaves the counting to a worker: a count reads every practitioner, suggestion and group.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:03.500")]
    public TimeSpan CoverageCountWithin { get; set; } = TimeSpan.FromSeconds(3);
}
