using PeerMatch.Functions.Storage;
using PeerMatch.Intake;
using PeerMatch.Matching;

namespace PeerMatch.Functions.Matching;

/// <summary>Everyone stored, and among them who can be matched: confirmed, subscribed, not paused on a given day.</summary>
public sealed record Population(IReadOnlyDictionary<string, Practitioner> Everyone, List<Candidate> Eligible)
{
    public static async Task<Population> LoadAsync(IPractitionerRepository practitioners, SuppressionTable suppressions, DateOnly on, CancellationToken cancellationToken)
    {
        var everyone = new Dictionary<string, Practitioner>(StringComparer.Ordinal);
        await foreach (var practitioner in practitioners.ListAllAsync(cancellationToken))
        {
            everyone[practitioner.Id] = practitioner;
        }
        var suppressed = await suppressions.AllKeysAsync(cancellationToken);
        var eligible = everyone.Values
            .Where(p => p.Status == PractitionerStatus.Active
                && !suppressed.Contains(TableNames.EmailKey(p.Profile.Email))
                && !(p.PausedUntil > on))
            .OrderBy(p => p.Id, StringComparer.Ordinal)
            .Select(p => new Candidate(p.Id, p.Profile))
            .ToList();
        return new Population(everyone, eligible);
    }
}
