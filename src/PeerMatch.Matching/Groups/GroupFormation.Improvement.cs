using System.Runtime.InteropServices;
using PeerMatch.Places;
using PeerMatch.Practitioners;

namespace PeerMatch.Matching.Groups;

public sealed partial class GroupFormation
{
    /// <summary>The improvement: swaps, moves and people brought in, each kept when it raises Σ log(served) and lowers nobody below the worst-served.</summary>
    private sealed partial class Run
    {
        // ---- Improvement: swaps, replacements and moves that raise Σ log(served) ----

        private double MeanScore(Group group)
        {
            double sum = 0;
            var pairs = 0;
            for (var i = 0; i < group.Members.Count; i++)
            {
                for (var j = i + 1; j < group.Members.Count; j++)
                {
                    sum += Score(group.Members[i], group.Members[j]);
                    pairs++;
                }
            }
            return pairs == 0 ? 0 : sum / pairs;
        }

        public int Improve()
        {
            var moves = 0;
            var neighbours = Neighbours();
            // Only pairs of groups of which one changed in the last pass can offer anything new.
            var changed = Enumerable.Repeat(true, _groups.Count).ToArray();
            for (var pass = 0; pass < MaxPasses; pass++)
            {
                var changing = new bool[_groups.Count];
                var improved = 0;
                foreach (var (g, h) in neighbours)
                {
                    if (!changed[g] && !changed[h])
                    {
                        continue;
                    }
                    // While it pays: a pair of groups can trade several members.
                    for (var trades = 0; trades < MaximumSize && SwapOrMove(g, h); trades++)
                    {
                        improved++;
                        changing[g] = changing[h] = true;
                    }
                }
                for (var g = 0; g < _groups.Count; g++)
                {
                    if (changed[g] && BringIn(g))
                    {
                        improved++;
                        changing[g] = true;
                    }
                }
                moves += improved;
                changed = changing;
                if (improved == 0)
                {
                    break;
                }
            }
            return moves;
        }

        /// <summary>Pairs of neighbouring groups: each group with the nearest few that share its model, language and way of meeting.</summary>
        private List<(int A, int B)> Neighbours()
        {
            var pairs = new HashSet<(int, int)>();
            var byKind = Enumerable.Range(0, _groups.Count).GroupBy(g => (_groups[g].Model, _groups[g].Language, _groups[g].Mode)).ToList();
            foreach (var kind in byKind)
            {
                var list = kind.ToList();
                foreach (var g in list)
                {
                    var convener = people[_groups[g].Convener];
                    foreach (var h in list.Where(h => h != g)
                        .Select(h => (Group: h, Distance: Distance(convener, people[_groups[h].Convener], _groups[g].Mode)))
                        .Where(x => x.Distance is not null)
                        .OrderBy(x => x.Distance).Take(NeighbourGroups).Select(x => x.Group))
                    {
                        pairs.Add((Math.Min(g, h), Math.Max(g, h)));
                    }
                }
            }
            return pairs.Order().ToList();
        }

        /// <summary>How far apart two conveners are for this way of meeting (km, or hours of offset); null when nobody could be in both groups.</summary>
        private static double? Distance(MatchProfile a, MatchProfile b, Mode mode) => mode == Mode.InPerson
            ? PairFeatures.Within(a, b, 2 * InPersonReachKm) ? PairFeatures.DistanceKm(a, b) ?? 0 : null
            : Math.Abs(a.UtcOffsetHours - b.UtcOffsetHours) is var hours && hours <= OnlineSpreadHours ? hours : null;

        /// <summary>
        /// The scores among a few people (two groups, or a group and those who might join it) as a dense matrix: a step
        /// of the local search reads them thousands of times.
        /// </summary>
        private sealed class Scores
        {
            private readonly float[] _matrix;
            private readonly int _count;

            public Scores(Run run, int[] members)
            {
                _count = members.Length;
                _matrix = new float[_count * _count];
                for (var i = 0; i < _count; i++)
                {
                    for (var j = i + 1; j < _count; j++)
                    {
                        // Pairs never scored are pairs no trial puts together (two people from outside a group).
                        _matrix[i * _count + j] = _matrix[j * _count + i] = run._scores.GetValueOrDefault(PairKeys.Of(members[i], members[j]));
                    }
                }
            }

            /// <summary>
            /// A group's part of the objective, Σ log(ε + served) over its members (concave: the worst-served weigh most),
            /// and the least any member is served; <paramref name="group"/> holds positions in this matrix.
            /// </summary>
            public (double Value, double Worst) Measure(ReadOnlySpan<int> group)
            {
                double value = 0, worst = double.MaxValue;
                foreach (var member in group)
                {
                    double sum = 0;
                    foreach (var other in group)
                    {
                        sum += _matrix[member * _count + other]; // zero on the diagonal
                    }
                    var served = sum / (group.Length - 1);
                    value += Math.Log(0.05 + served);
                    worst = Math.Min(worst, served);
                }
                return (value, worst);
            }
        }

        /// <summary>
        /// The best swap of two members (not conveners) between two groups, or move of a member into the other's room:
        /// made if it raises the objective and leaves nobody in either group below the worst-served now.
        /// </summary>
        private bool SwapOrMove(int ia, int ib)
        {
            var (a, b) = (_groups[ia], _groups[ib]);
            EnsureScored(a.Members, b.Members);
            var na = a.Members.Count;
            int[] everyone = [.. a.Members, .. b.Members];
            if (BestTrade(a, b, everyone) is not var (i, j))
            {
                return false;
            }
            if (i > 0)
            {
                Move(everyone[i], a, b, ib);
            }
            if (j > 0)
            {
                Move(everyone[na + j], b, a, ia);
            }
            return true;
        }

        private void Move(int member, Group from, Group to, int toIndex)
        {
            from.Members.Remove(member);
            to.Members.Add(member);
            _groupOf[member] = toIndex;
        }

        /// <summary>
        /// The trade that raises the objective most without lowering anyone below the worst-served now, as (i, j): a's
        /// i-th and b's j-th member trade places; i = 0 (a's convener stays): b's j-th moves into a's room; j = 0: a's
        /// i-th moves into b's room. <paramref name="everyone"/> is a's members, then b's.
        /// </summary>
        private (int I, int J)? BestTrade(Group a, Group b, int[] everyone)
        {
            int na = a.Members.Count, nb = b.Members.Count;
            var scores = new Scores(this, everyone);
            Span<int> localA = stackalloc int[MaximumSize];
            Span<int> localB = stackalloc int[MaximumSize];
            Span<int> peopleA = stackalloc int[MaximumSize];
            Span<int> peopleB = stackalloc int[MaximumSize];
            Span<int> trialA = stackalloc int[MaximumSize + 1];
            Span<int> trialB = stackalloc int[MaximumSize + 1];
            for (var k = 0; k < na; k++)
            {
                localA[k] = k;
            }
            for (var k = 0; k < nb; k++)
            {
                localB[k] = na + k;
            }
            var (valueA, worstA) = scores.Measure(localA[..na]);
            var (valueB, worstB) = scores.Measure(localB[..nb]);
            var floor = Math.Min(worstA, worstB) - 1e-9;
            (double Gain, int I, int J)? best = null;
            for (var i = 0; i < na; i++)
            {
                for (var j = i == 0 ? 1 : 0; j < nb; j++)
                {
                    if ((i == 0 && (na >= settings._size || nb <= MinimumSize)) || (j == 0 && (nb >= settings._size || na <= MinimumSize)))
                    {
                        continue;
                    }
                    // The trial groups, as positions in the matrix and as people: a without i, plus j; b without j, plus i.
                    var sizeA = Without(localA[..na], i == 0 ? -1 : i, everyone, trialA, peopleA);
                    var sizeB = Without(localB[..nb], j == 0 ? -1 : j, everyone, trialB, peopleB);
                    if ((i > 0 && !Fits(people[everyone[i]], b, peopleB[..sizeB])) || (j > 0 && !Fits(people[everyone[na + j]], a, peopleA[..sizeA])))
                    {
                        continue;
                    }
                    if (i > 0)
                    {
                        trialB[sizeB++] = i;
                    }
                    if (j > 0)
                    {
                        trialA[sizeA++] = na + j;
                    }
                    var (newA, newWorstA) = scores.Measure(trialA[..sizeA]);
                    var (newB, newWorstB) = scores.Measure(trialB[..sizeB]);
                    var gain = newA + newB - valueA - valueB;
                    if (gain > 1e-9 && (best is null || gain > best.Value.Gain) && newWorstA >= floor && newWorstB >= floor)
                    {
                        best = (gain, i, j);
                    }
                }
            }
            return best is { } chosen ? (chosen.I, chosen.J) : null;
        }

        /// <summary>
        /// Copies a group's positions, but the one at index <paramref name="skip"/> (none when negative), into
        /// <paramref name="trial"/>, and who they are into <paramref name="people"/>. Returns how many.
        /// </summary>
        private static int Without(ReadOnlySpan<int> group, int skip, int[] everyone, Span<int> trial, Span<int> people)
        {
            var count = 0;
            for (var k = 0; k < group.Length; k++)
            {
                if (k != skip)
                {
                    people[count] = everyone[group[k]];
                    trial[count++] = group[k];
                }
            }
            return count;
        }

        /// <summary>Someone left out who would raise the objective: added while the group has room, else in place of the member they serve less well.</summary>
        private bool BringIn(int index)
        {
            var group = _groups[index];
            // Anyone left out who fits beside the convener (the rest is checked member by member).
            int[] convener = [group.Convener];
            var outside = Nearby(_open, group.Model, group.Language, group.Mode, people[group.Convener])
                .Where(i => Fits(people[i], group, convener))
                .Take(2 * settings._size)
                .ToList();
            if (outside.Count == 0)
            {
                return false;
            }
            EnsureScored(outside, group.Members);
            if (BestEntry(group, outside) is not var (comesIn, goesOut))
            {
                return false;
            }
            if (goesOut >= 0)
            {
                group.Members.Remove(goesOut);
                _groupOf[goesOut] = -1;
                SetOpen(goesOut, true);
            }
            group.Members.Add(comesIn);
            _groupOf[comesIn] = index;
            SetOpen(comesIn, false);
            return true;
        }

        /// <summary>
        /// Of those <paramref name="outside"/>, who best comes into the group, and whom they replace (-1: nobody, the group
        /// has room); null when nobody raises the objective without lowering anyone below the worst-served now.
        /// </summary>
        private (int In, int Out)? BestEntry(Group group, List<int> outside)
        {
            var n = group.Members.Count;
            var everyone = group.Members.Concat(outside).ToArray();
            var scores = new Scores(this, everyone);
            var current = Enumerable.Range(0, n).ToArray();
            var (value, worst) = scores.Measure(current);
            var floor = worst - 1e-9;
            (double Gain, int In, int Out)? best = null;
            var trial = new int[n + 1];
            var trialPeople = new int[n];
            for (var o = 0; o < outside.Count; o++)
            {
                var person = people[outside[o]];
                if (n < settings._size && Fits(person, group, group.Members))
                {
                    // Room: anyone who fits joins (one more person served), the best-suited first.
                    current.CopyTo(trial, 0);
                    trial[n] = n + o;
                    var gain = 1000 + scores.Measure(trial).Value - value;
                    if (best is null || gain > best.Value.Gain)
                    {
                        best = (gain, outside[o], -1);
                    }
                    continue;
                }
                for (var i = 1; i < n; i++)
                {
                    var size = 0;
                    for (var k = 0; k < n; k++)
                    {
                        if (k != i)
                        {
                            trialPeople[size] = everyone[k];
                            trial[size++] = k;
                        }
                    }
                    if (!Fits(person, group, trialPeople.AsSpan(0, size)))
                    {
                        continue;
                    }
                    trial[size++] = n + o;
                    var (newValue, newWorst) = scores.Measure(trial.AsSpan(0, size));
                    var gain = newValue - value;
                    if (gain > 1e-9 && (best is null || gain > best.Value.Gain) && newWorst >= floor)
                    {
                        best = (gain, outside[o], group.Members[i]);
                    }
                }
            }
            return best is { } move ? (move.In, move.Out) : null;
        }
    }
}
