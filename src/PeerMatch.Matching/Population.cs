using PeerMatch.Practitioners;

namespace PeerMatch.Matching;

/// <summary>Everyone stored, and among them who can be matched: confirmed, subscribed, not paused on a given day.</summary>
public sealed record Population(IReadOnlyDictionary<string, Practitioner> Everyone, List<Candidate> Eligible)
{
    public static async Task<Population> LoadAsync(IPractitionerRepository practitioners, ISuppressionList suppressions, DateOnly on, CancellationToken cancellationToken)
    {
        var everyone = new Dictionary<string, Practitioner>(StringComparer.Ordinal);
        await foreach (var practitioner in practitioners.ListAllAsync(cancellationToken))
        {
            everyone[practitioner.Id] = practitioner;
        }
        var suppressed = await suppressions.SuppressedKeysAsync(cancellationToken);
        var eligible = everyone.Values
            .Where(p => IsEligible(p, on) && !suppressed.Contains(EmailAddresses.Key(p.Profile.Email)))
            .OrderBy(p => p.Id, StringComparer.Ordinal)
            .Select(p => new Candidate(p.Id, p.Profile))
            .ToList();
        return new Population(everyone, eligible);
    }

    /// <summary>Confirmed and not paused on <paramref name="on"/> (suppression is checked against the list).</summary>
    public static bool IsEligible(Practitioner practitioner, DateOnly on) =>
        practitioner.Status == PractitionerStatus.Active && !(practitioner.PausedUntil > on);
}
