using System.Runtime.InteropServices;
using PeerMatch.Places;
using PeerMatch.Practitioners;

namespace PeerMatch.Matching.Groups;

public sealed partial class GroupFormation
{
    /// <summary>
    /// One formation: the people, who is near whom (lists by model, language, way of meeting and place), the pair scores
    /// computed so far, the groups, and the rules a group keeps.
    /// </summary>
    private sealed partial class Run(GroupFormation settings, MatchProfile[] people, string? onlyModel)
    {
        private readonly Dictionary<long, float> _scores = new(PairKeys.Comparer);
        private readonly List<Group> _groups = [];
        private readonly int[] _groupOf = Enumerable.Repeat(-1, people.Length).ToArray();
        private readonly int _onlyModel = onlyModel is null ? 0 : MatchProfile.Bit(ReferenceData.Models, onlyModel);
        private readonly Dictionary<(int Model, int Language, Mode Mode, int Cell), List<int>> _everyone = Index(people);

        /// <summary>The same lists, of those in no group; emptied of the grouped as groups form, so scans stay short.</summary>
        private readonly Dictionary<(int Model, int Language, Mode Mode, int Cell), List<int>> _open = Index(people);

        /// <summary>Candidates considered around one convener (nearest cells first): enough to choose from, never a whole city.</summary>
        private const int CandidatesPerConvener = 60;

        /// <summary>
        /// Seekers by model, language, way of meeting and cell (in person: a grid cell of one degree, or the subdivision
        /// when a place has no coordinates; online: the 3-hour band of UTC offset), so that finding who could join a
        /// group reads a few short lists, nearest first, not everyone.
        /// </summary>
        private static Dictionary<(int, int, Mode, int), List<int>> Index(MatchProfile[] people)
        {
            var index = new Dictionary<(int, int, Mode, int), List<int>>();
            foreach (var person in people)
            {
                foreach (var (model, language, mode) in Kinds(person))
                {
                    var key = (model, language, mode, mode == Mode.InPerson ? Cell(person) : person.TimeBand);
                    if (!index.TryGetValue(key, out var list))
                    {
                        index[key] = list = [];
                    }
                    list.Add(person.Index);
                }
            }
            return index;
        }

        private static IEnumerable<(int Model, int Language, Mode Mode)> Kinds(MatchProfile person)
        {
            foreach (var model in Bits(person.Models))
            {
                foreach (var language in person.Languages)
                {
                    if (person.InPerson)
                    {
                        yield return (model, language, Mode.InPerson);
                    }
                    if (person.Online)
                    {
                        yield return (model, language, Mode.Online);
                    }
                }
            }
        }

        private static int Cell(MatchProfile person, int latitudeStep = 0, int longitudeStep = 0) => person.Place is { } place
            ? ((int)Math.Floor(place.Latitude) + 90 + latitudeStep) * 1000 + (int)Math.Floor(place.Longitude) + 180 + longitudeStep
            : -1 - (int)(StableHash(person.Profile.Region.Subdivision ?? person.Profile.Region.Country) & 0x7FFFFFF);

        private static uint StableHash(string text)
        {
            var hash = 2166136261;
            foreach (var c in text)
            {
                hash = (hash ^ c) * 16777619;
            }
            return hash;
        }

        /// <summary>
        /// Those sharing the model and language who might meet <paramref name="around"/> this way, nearest cells first (each
        /// still to be checked exactly): in person, the grid cell and its neighbours (80 km is at most two degrees of
        /// longitude below 60° of latitude); online, the band and the three on each side (7 hours apart at most).
        /// </summary>
        private static IEnumerable<int> Nearby(Dictionary<(int, int, Mode, int), List<int>> lists, int model, int language, Mode mode, MatchProfile around)
        {
            IEnumerable<int> cells = mode == Mode.Online
                ? [around.TimeBand, around.TimeBand - 1, around.TimeBand + 1, around.TimeBand - 2, around.TimeBand + 2, around.TimeBand - 3, around.TimeBand + 3]
                : around.Place is null ? [Cell(around)]
                : from step in (int[])[0, -1, 1, -2, 2] from lat in (int[])[0, -1, 1] select Cell(around, lat, step);
            foreach (var cell in cells)
            {
                if (lists.TryGetValue((model, language, mode, cell), out var list))
                {
                    foreach (var person in list)
                    {
                        yield return person;
                    }
                }
            }
        }

        /// <summary>Takes <paramref name="member"/> out of the open lists (they joined a group) or puts them back (they left one).</summary>
        private void SetOpen(int member, bool open)
        {
            foreach (var (model, language, mode) in Kinds(people[member]))
            {
                var list = _open[(model, language, mode, mode == Mode.InPerson ? Cell(people[member]) : people[member].TimeBand)];
                if (open)
                {
                    list.Add(member);
                }
                else
                {
                    list.Remove(member);
                }
            }
        }

        private static IEnumerable<int> Bits(int mask)
        {
            for (var bit = 1; bit != 0 && bit <= mask; bit <<= 1)
            {
                if ((mask & bit) != 0)
                {
                    yield return bit;
                }
            }
        }


        // ---- Pair scores: each pair scored both ways once, kept as the mean of the two ----

        private float Score(int a, int b) => _scores[PairKeys.Of(a, b)];

        /// <summary>Scores, in one call of the scorer, every pair of <paramref name="pairs"/> not scored yet.</summary>
        private void EnsureScored(IEnumerable<(int A, int B)> pairs)
        {
            var missing = pairs.Where(p => p.A != p.B).Select(p => PairKeys.Of(p.A, p.B)).Where(k => !_scores.ContainsKey(k)).Distinct().ToList();
            if (missing.Count == 0)
            {
                return;
            }
            var features = new float[missing.Count * 2 * PairFeatures.Count];
            for (var i = 0; i < missing.Count; i++)
            {
                var (a, b) = ((int)(missing[i] >> 32), (int)(missing[i] & 0xFFFFFFFF));
                PairFeatures.Compute(people[a], people[b], features.AsSpan(2 * i * PairFeatures.Count, PairFeatures.Count));
                PairFeatures.Compute(people[b], people[a], features.AsSpan((2 * i + 1) * PairFeatures.Count, PairFeatures.Count));
            }
            var scores = new float[missing.Count * 2];
            settings._scorer.Score(features, scores);
            for (var i = 0; i < missing.Count; i++)
            {
                _scores[missing[i]] = (scores[2 * i] + scores[2 * i + 1]) / 2;
            }
        }

        private void EnsureScored(IReadOnlyList<int> a, IReadOnlyList<int> b) => EnsureScored(a.SelectMany(x => b.Select(y => (x, y))));

        // ---- The rules a group keeps ----

        private static bool InReach(MatchProfile convener, MatchProfile other) =>
            convener.InPerson && other.InPerson && PairFeatures.Within(convener, other, InPersonReachKm);

        /// <summary>Whether <paramref name="person"/> can be in <paramref name="group"/> beside <paramref name="others"/> (the members but the one they would replace).</summary>
        private bool Fits(MatchProfile person, Group group, ReadOnlySpan<int> others)
        {
            if ((person.Models & group.Model) == 0 || Array.IndexOf(person.Languages, group.Language) < 0)
            {
                return false;
            }
            if (group.Mode == Mode.InPerson)
            {
                return person.Index == group.Convener || InReach(people[group.Convener], person);
            }
            if (!person.Online)
            {
                return false;
            }
            double low = person.UtcOffsetHours, high = person.UtcOffsetHours;
            foreach (var other in others)
            {
                low = Math.Min(low, people[other].UtcOffsetHours);
                high = Math.Max(high, people[other].UtcOffsetHours);
            }
            return high - low <= OnlineSpreadHours;
        }

        private bool Fits(MatchProfile person, Group group, List<int> others) => Fits(person, group, CollectionsMarshal.AsSpan(others));
    }
}
