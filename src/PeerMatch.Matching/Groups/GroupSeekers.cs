using PeerMatch.Email;
using PeerMatch.Practitioners;

namespace PeerMatch.Matching.Groups;

/// <summary>
/// Who may be put in a group: everyone who may be grouped today and who may not be taken now, and the check that
/// someone grouped from people read a moment before has not erased their profile meanwhile.
/// </summary>
public sealed class GroupSeekers(IGroupStore groups, IPractitionerRepository practitioners, ISuppressionList suppressions)
{
    /// <summary>Someone who declined a group is not invited into another for this long.</summary>
    public static readonly TimeSpan RestAfterDecline = TimeSpan.FromDays(28);

    /// <summary>
    /// Everyone who may be grouped today, and who may not be taken now: those with a seat in a forming or formed group
    /// (unless they said no or left), and those who declined a group in the last four weeks.
    /// </summary>
    public async Task<(Population Population, HashSet<string> Taken)> PoolAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var population = await Population.LoadAsync(practitioners, suppressions, DateOnly.FromDateTime(now.UtcDateTime), cancellationToken);
        var taken = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var group in groups.AllAsync(cancellationToken))
        {
            foreach (var seat in group.Seats)
            {
                if ((group.Group.IsOpen && !seat.IsOut) || seat.DeclinedAfter(now - RestAfterDecline))
                {
                    taken.Add(seat.PractitionerId);
                }
            }
        }
        return (population, taken);
    }

    /// <summary>
    /// Formation works from people read a moment before: someone who erased their profile since must not be left in a
    /// group (erasure took them out of every group stored when it ran, not of one stored after).
    /// </summary>
    public async Task ForgetIfErasedAsync(string practitionerId, CancellationToken cancellationToken)
    {
        if (await practitioners.GetAsync(practitionerId, cancellationToken) is null)
        {
            // Erasure's own step: out of every group, without a word to anyone.
            await groups.EraseAsync(practitionerId, cancellationToken);
        }
    }
}
