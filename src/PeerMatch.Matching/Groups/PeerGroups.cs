using PeerMatch.Practitioners;

namespace PeerMatch.Matching.Groups;

/// <summary>
/// Peer groups as they stand, for pages and e-mails, and what their check-ins teach the ranker. The flow has a class a
/// job: <see cref="GroupForming"/> stores new groups, <see cref="GroupAnswers"/> records members' answers, and
/// <see cref="GroupSettling"/> takes each group's next steps (after each answer and every hour).
/// </summary>
public sealed class PeerGroups(IGroupStore groups, IPractitionerRepository practitioners, TimeProvider clock) : ITrainingExamples
{
    /// <summary>
    /// Check-in answers as training examples for the ranker that scores every pair in a group: a member who says the
    /// group met is a positive for each pair of them with the other members, one who says it has not, a negative. So
    /// the pairs of groups that meet come to score higher, and formation (which weighs every pair) prefers their like.
    /// </summary>
    public async Task<IReadOnlyList<LabelledPair>> ExamplesAsync(CancellationToken cancellationToken)
    {
        var examples = new List<LabelledPair>();
        var now = clock.GetUtcNow();
        await foreach (var group in groups.AllAsync(cancellationToken))
        {
            if (!group.Members.Any(m => m.Met is not null))
            {
                continue;
            }
            var members = new List<Candidate>();
            foreach (var seat in group.Members)
            {
                if (await practitioners.GetAsync(seat.PractitionerId, cancellationToken) is { } p)
                {
                    members.Add(new Candidate(p.Id, p.Profile));
                }
            }
            var profiles = Featurizer.Featurize(members, now);
            foreach (var answering in profiles.Where(p => group.Seat(p.Id)?.Met is not null))
            {
                foreach (var other in profiles.Where(p => p.Id != answering.Id))
                {
                    var features = new float[PairFeatures.Count];
                    PairFeatures.Compute(answering, other, features);
                    examples.Add(new LabelledPair(answering.Id, other.Id, features, group.Seat(answering.Id)!.Met == "yes"));
                }
            }
        }
        return examples;
    }

    // ---- Reading ----

    public Task<GroupWithSeats?> GetAsync(string groupId, CancellationToken cancellationToken) => groups.GetAsync(groupId, cancellationToken);

    /// <summary>A practitioner's groups, newest first, each as it stands.</summary>
    public async Task<IReadOnlyList<GroupWithSeats>> OfAsync(string practitionerId, CancellationToken cancellationToken)
    {
        var found = new List<GroupWithSeats>();
        foreach (var id in await groups.GroupIdsOfAsync(practitionerId, cancellationToken))
        {
            if (await groups.GetAsync(id, cancellationToken) is { } group && group.Seat(practitionerId) is not null)
            {
                found.Add(group);
            }
        }
        return found.OrderByDescending(g => g.Group.CreatedAt).ToList();
    }

    public async Task<string?> WaitingReasonAsync(string practitionerId, CancellationToken cancellationToken) =>
        (await groups.WaitingReasonAsync(practitionerId, cancellationToken))?.ToSeeker();

    public IAsyncEnumerable<GroupWithSeats> AllAsync(CancellationToken cancellationToken) => groups.AllAsync(cancellationToken);

    /// <summary>
    /// Every pair of people who share a group that is forming or formed (those invited and not out of it): they know
    /// each other there, so the weekly plan never suggests one to the other.
    /// </summary>
    public async Task<IReadOnlyList<(string A, string B)>> GroupmatesAsync(CancellationToken cancellationToken)
    {
        var pairs = new List<(string, string)>();
        await foreach (var group in groups.AllAsync(cancellationToken))
        {
            if (!group.Group.IsOpen)
            {
                continue;
            }
            var inIt = group.Seats.Where(s => !s.IsOut).Select(s => s.PractitionerId).ToList();
            for (var i = 0; i < inIt.Count; i++)
            {
                for (var j = i + 1; j < inIt.Count; j++)
                {
                    pairs.Add((inIt[i], inIt[j]));
                }
            }
        }
        return pairs;
    }
}
