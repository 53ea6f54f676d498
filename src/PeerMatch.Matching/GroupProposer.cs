using PeerMatch.Intake;
using PeerMatch.Places;

namespace PeerMatch.Matching;

public sealed record GroupMember(string Id, string Name, int YearsExperience, string Place);

/// <summary>A proposed peer group: who, who convenes, how it meets, and why these people.</summary>
public sealed record GroupProposal(IReadOnlyList<GroupMember> Members, GroupMember Convener, string Meeting, IReadOnlyList<string> Reasons);

/// <summary>
/// Proposes peer groups of compatible people: one model, and either one place (in person) or one
/// time band (online). Each group is built around a convener (willing, then most experienced) with
/// the members who suit the convener and the model best.
/// </summary>
public static class GroupProposer
{
    public const int MinimumSize = 4;
    public const int MaximumSize = 8;
    public const int DefaultSize = 6;

    public static IReadOnlyList<GroupProposal> Propose(IReadOnlyList<Candidate> population, string? region, string? model, int size, DateTimeOffset now)
    {
        if (size is < MinimumSize or > MaximumSize)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, $"A group has {MinimumSize} to {MaximumSize} members.");
        }
        var chosen = population.Where(c => InRegion(c.Profile.Region, region) && (model is null || c.Profile.Models.Contains(model))).ToList();
        var people = Featurizer.Featurize(chosen, now);

        var proposals = new List<GroupProposal>();
        var buckets = people.GroupBy(p => (Model: model ?? p.Profile.Models[0], Meeting: MeetingKey(p)));
        foreach (var bucket in buckets.OrderBy(b => b.Key.Model, StringComparer.Ordinal).ThenBy(b => b.Key.Meeting, StringComparer.Ordinal))
        {
            var remaining = bucket.OrderByDescending(p => p.Profile.WillingToConvene).ThenByDescending(p => p.Years).ThenBy(p => p.Id, StringComparer.Ordinal).ToList();
            while (remaining.Count >= MinimumSize)
            {
                var convener = remaining[0];
                var features = new float[PairFeatures.Count];
                var fits = remaining.Skip(1)
                    .Where(p => PairFeatures.CanMeet(convener, p))
                    .Select(p =>
                    {
                        PairFeatures.Compute(convener, p, features);
                        return (Person: p, Fit: features[PairFeatures.Count - 1]);
                    })
                    .OrderByDescending(x => x.Fit)
                    .Take(size - 1)
                    .Select(x => x.Person)
                    .ToList();
                if (fits.Count + 1 < MinimumSize)
                {
                    remaining.RemoveAt(0); // nobody enough around this convener; try the next
                    continue;
                }
                var members = fits.Prepend(convener).ToList();
                proposals.Add(new GroupProposal(
                    members.Select(Member).ToList(),
                    Member(convener),
                    bucket.Key.Meeting.StartsWith("place:", StringComparison.Ordinal) ? "in-person" : "online",
                    GroupReasons(bucket.Key.Model, bucket.Key.Meeting, convener, members)));
                remaining.RemoveAll(members.Contains);
            }
        }
        return proposals;
    }

    public static bool InRegion(Region region, string? filter) =>
        filter is null || (filter.Length == 2 ? region.Country == filter : region.Subdivision == filter);

    private static string MeetingKey(MatchProfile p) =>
        p.InPerson ? $"place:{p.Profile.Region.Subdivision ?? p.Profile.Region.Country}" : $"band:{p.TimeBand:00}";

    private static GroupMember Member(MatchProfile p)
    {
        return new GroupMember(p.Id, p.Profile.Name, p.Years, PlaceNames.Describe(p.Profile.Region));
    }

    private static List<string> GroupReasons(string model, string meeting, MatchProfile convener, List<MatchProfile> members)
    {
        var reasons = new List<string> { $"all practise {ReferenceData.InSentence(model)} mediation" };
        if (meeting.StartsWith("place:", StringComparison.Ordinal))
        {
            var place = meeting["place:".Length..];
            reasons.Add($"all can meet in person in {(place.Length > 2
                ? $"{PlaceNames.Subdivision(place)}, {PlaceNames.Country(place[..2])}"
                : PlaceNames.Country(place))}");
        }
        else
        {
            var spread = members.Max(m => m.UtcOffsetHours) - members.Min(m => m.UtcOffsetHours);
            reasons.Add(spread == 0 ? "all share the same working hours, for meeting online" : $"working hours at most {spread:0.#} hours apart, for meeting online");
        }
        var name = Reasons.FirstName(convener.Profile.Name);
        reasons.Add(convener.Profile.WillingToConvene
            ? $"{name} ({convener.Years} years of experience) is willing to convene"
            : $"nobody volunteered to convene; {name} has the most experience ({convener.Years} years)");
        reasons.Add($"experience from {members.Min(m => m.Years)} to {members.Max(m => m.Years)} years");
        return reasons;
    }
}
