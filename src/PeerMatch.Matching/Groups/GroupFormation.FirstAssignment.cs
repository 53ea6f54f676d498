using System.Runtime.InteropServices;
using PeerMatch.Places;
using PeerMatch.Practitioners;

namespace PeerMatch.Matching.Groups;

public sealed partial class GroupFormation
{
    /// <summary>The first assignment: each convener in turn (volunteers first, the more experienced first), the group that suits them best.</summary>
    private sealed partial class Run
    {
        // ---- Greedy: each convener in turn, the group that suits them best ----

        public void Greedy()
        {
            var order = people.OrderByDescending(p => p.Profile.WillingToConvene).ThenByDescending(p => p.Years).ThenBy(p => p.Id, StringComparer.Ordinal);
            foreach (var convener in order)
            {
                if (_groupOf[convener.Index] < 0)
                {
                    LeadGroup(convener);
                }
            }
        }

        /// <summary>The group one convener would lead, as in <see cref="Greedy"/> but for them alone.</summary>
        public void GreedyAround(string convenerId) => LeadGroup(people.First(p => p.Id == convenerId));

        /// <summary>Forms the better of the groups <paramref name="convener"/> could lead in person and online, if any.</summary>
        private void LeadGroup(MatchProfile convener)
        {
            Group? best = null;
            foreach (var mode in new[] { Mode.InPerson, Mode.Online })
            {
                if (BuildAround(convener, mode) is { } group && (best is null || Better(group, best)))
                {
                    best = group;
                }
            }
            if (best is not null)
            {
                Add(best);
            }
        }

        /// <summary>Of everyone after the first <paramref name="memberCount"/> people (the group, convener first), the best to join it.</summary>
        public string? BestToJoin(int memberCount, int model, int language, Mode mode)
        {
            var group = new Group(0, model, language, mode);
            group.Members.AddRange(Enumerable.Range(1, memberCount - 1));
            var fitting = Enumerable.Range(memberCount, people.Length - memberCount)
                .Where(i => Fits(people[i], group, group.Members))
                .ToList();
            if (fitting.Count == 0)
            {
                return null;
            }
            EnsureScored(group.Members, fitting);
            return people[fitting.MaxBy(i => group.Members.Average(m => Score(m, i)))].Id;
        }

        private bool Better(Group a, Group b) => a.Members.Count != b.Members.Count ? a.Members.Count > b.Members.Count : MeanScore(a) > MeanScore(b);

        private void Add(Group group)
        {
            _groups.Add(group);
            foreach (var member in group.Members)
            {
                _groupOf[member] = _groups.Count - 1;
                SetOpen(member, false);
            }
        }

        /// <summary>The group <paramref name="convener"/> would lead meeting this way: of the model and language most people around them share, the best-suited.</summary>
        private Group? BuildAround(MatchProfile convener, Mode mode)
        {
            if (mode == Mode.InPerson ? !convener.InPerson : !convener.Online)
            {
                return null;
            }
            Group? chosen = null;
            var chosenPool = new List<int>();
            foreach (var model in Bits(convener.Models & (_onlyModel == 0 ? ~0 : _onlyModel)))
            {
                foreach (var language in convener.Languages)
                {
                    var group = new Group(convener.Index, model, language, mode);
                    var pool = Nearby(_open, model, language, mode, convener)
                        .Where(i => i != convener.Index && Fits(people[i], group, group.Members))
                        .Take(CandidatesPerConvener)
                        .ToList();
                    if (pool.Count > chosenPool.Count)
                    {
                        (chosen, chosenPool) = (group, pool);
                    }
                }
            }
            if (chosen is null || chosenPool.Count < MinimumSize - 1)
            {
                return null;
            }
            // First come those who suit the convener best; the local search then weighs every pair.
            EnsureScored([convener.Index], chosenPool);
            foreach (var person in chosenPool.OrderByDescending(i => Score(convener.Index, i)).ThenBy(i => i))
            {
                if (chosen.Members.Count == settings._size)
                {
                    break;
                }
                if (Fits(people[person], chosen, chosen.Members))
                {
                    chosen.Members.Add(person);
                }
            }
            EnsureScored(chosen.Members, chosen.Members);
            return chosen.Members.Count >= MinimumSize ? chosen : null;
        }
    }
}
