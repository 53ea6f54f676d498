using System.Diagnostics;
using System.Runtime.InteropServices;
using PeerMatch.Places;
using PeerMatch.Practitioners;

namespace PeerMatch.Matching.Groups;

public sealed record GroupMember(string Id, string Name, int YearsExperience, string Place);

/// <summary>
/// A proposed peer group: who, who convenes (a volunteer, or when none is within reach the most experienced, who is
/// asked), the model and language it shares, how it meets, and why these people.
/// </summary>
public sealed record GroupProposal(
    IReadOnlyList<GroupMember> Members, GroupMember Convener, bool ConvenerVolunteered, string Model, string Language, string Meeting,
    float MeanPairScore, IReadOnlyList<string> Reasons);

/// <summary>A seeker no group was proposed for, and why, in words for them.</summary>
public sealed record UnplacedSeeker(string Id, string Name, string Reason);

/// <summary>What a formation run proposes: the groups, everyone left out with why, and how it went.</summary>
public sealed record GroupPlan(IReadOnlyList<GroupProposal> Groups, IReadOnlyList<UnplacedSeeker> Unplaced, GroupPlanStats Stats);

public sealed record GroupPlanStats(int Seekers, int Placed, int ScoredPairs, int ImprovingMoves, TimeSpan Greedy, TimeSpan Improvement);

/// <summary>
/// Peer-group formation, as a pure function of the seekers: groups of 4 to 8 who share a model and a language and can
/// meet (in person within <see cref="InPersonReachKm"/> of the convener, or online with at least two working hours
/// shared by all), each around a convener (volunteers first, the more experienced first). Every pair in a group
/// counts: the learned scorer scores the pairs as it does for suggestions, and a group is as good as its members are
/// served by the others. A greedy first assignment builds each group around its convener from the nearby people who
/// suit the convener best; a local search then weighs every pair: it swaps members between neighbouring groups,
/// brings in people left out and moves members to groups with room, keeping each change that raises the sum over
/// members of log(how well the member is served) and leaves nobody below the worst-served before, so that nobody's
/// good group is bought with someone else's poor one.
/// </summary>
public sealed class GroupFormation(IPairScorer scorer, int size = GroupFormation.DefaultSize)
{
    private readonly IPairScorer _scorer = scorer;
    private readonly int _size = size is >= MinimumSize and <= MaximumSize
        ? size : throw new ArgumentOutOfRangeException(nameof(size), size, $"A group has {MinimumSize} to {MaximumSize} members.");

    public const int MinimumSize = 4;
    public const int MaximumSize = 8;
    public const int DefaultSize = 6;

    /// <summary>
    /// The kind of reason a why-not text (an unplaced seeker's, as stored for them) gives, in an organizer's words: the
    /// texts carry each person's counts, the kinds can be counted. A text of another form is kept as its first sentence.
    /// </summary>
    public static string WhyNotKind(string whyNot) => whyNot switch
    {
        _ when whyNot.StartsWith("Nobody else looking for a peer group shares", StringComparison.Ordinal) => "nobody seeking a group shares their model and a language",
        _ when whyNot.StartsWith("Others looking for a peer group share your model", StringComparison.Ordinal) => "none who share their model and a language can meet them",
        _ when whyNot.StartsWith("Only ", StringComparison.Ordinal) || whyNot.StartsWith("Too few people looking for a group", StringComparison.Ordinal)
            => "too few who share their model and a language can meet them",
        _ when whyNot.StartsWith("The groups within your reach are full", StringComparison.Ordinal) => "the groups within reach are full",
        _ => Obstacles.FirstSentence(whyNot),
    };

    /// <summary>In person, everyone lives within this distance of the convener.</summary>
    public const double InPersonReachKm = 80;

    /// <summary>Online, everyone's 09:00–18:00 overlaps by at least 2 hours: UTC offsets at most 7 hours apart.</summary>
    public const double OnlineSpreadHours = 7;

    private const string SeeksPeerGroup = "peer-group";

    private const int NeighbourGroups = 8;
    private const int MaxPasses = 8;

    /// <summary>
    /// Proposes groups among <paramref name="population"/>'s seekers of a peer group, leaving out <paramref name="alreadyGrouped"/>
    /// (in a forming or formed group). <paramref name="model"/> limits the groups to one model; <paramref name="improve"/>
    /// false stops after the greedy assignment (for comparison).
    /// </summary>
    public GroupPlan Form(IReadOnlyList<Candidate> population, IReadOnlySet<string> alreadyGrouped, DateTimeOffset now, string? model = null, bool improve = true)
    {
        // A formation for one model is about its practitioners alone: others are neither grouped nor reported left out.
        var seekers = population.Where(c => c.Profile.Seeking.Contains(SeeksPeerGroup) && !alreadyGrouped.Contains(c.Id) && (model is null || c.Profile.Models.Contains(model))).ToList();
        var run = new Run(this, Featurizer.Featurize(seekers, now), model);
        var clock = Stopwatch.StartNew();
        run.Greedy();
        var greedy = clock.Elapsed;
        clock.Restart();
        var moves = improve ? run.Improve() : 0;
        return run.Plan(new GroupPlanStats(seekers.Count, 0, 0, moves, greedy, clock.Elapsed));
    }

    /// <summary>
    /// The group <paramref name="convenerId"/> would lead now, from the seekers in no group (a willing convener who asks
    /// to start one): the plan holds that group, or leaves the convener out with why.
    /// </summary>
    public GroupPlan FormAround(string convenerId, IReadOnlyList<Candidate> population, IReadOnlySet<string> alreadyGrouped, DateTimeOffset now)
    {
        var people = population.Where(c => c.Id == convenerId || (c.Profile.Seeking.Contains(SeeksPeerGroup) && !alreadyGrouped.Contains(c.Id))).ToList();
        var run = new Run(this, Featurizer.Featurize(people, now), null);
        run.GreedyAround(convenerId);
        return run.Plan(new GroupPlanStats(people.Count, 0, 0, 0, TimeSpan.Zero, TimeSpan.Zero));
    }

    /// <summary>
    /// Who of <paramref name="pool"/> (seekers in no group) best fills a gap in a forming group: they share its model and
    /// language and can meet its way beside <paramref name="members"/> (the convener first), and of those, the one the
    /// members would be best served by (the mean pair score with each of them). Null when nobody fits.
    /// </summary>
    public string? Replacement(string model, string language, string meeting, IReadOnlyList<Candidate> members, IReadOnlyList<Candidate> pool, DateTimeOffset now)
    {
        var memberIds = members.Select(m => m.Id).ToHashSet(StringComparer.Ordinal);
        var people = members.Concat(pool.Where(c => c.Profile.Seeking.Contains(SeeksPeerGroup) && !memberIds.Contains(c.Id))).ToList();
        if (members.Count == 0 || people.Count == members.Count || Featurizer.LanguageOf(language) < 0)
        {
            return null;
        }
        var run = new Run(this, Featurizer.Featurize(people, now), model);
        return run.BestToJoin(members.Count, MatchProfile.Bit(ReferenceData.Models, model), Featurizer.LanguageOf(language), meeting == "online" ? Mode.Online : Mode.InPerson);
    }

    /// <summary>An organizer's region filter: a country (two letters) or a subdivision (<c>US-CA</c>); null is everywhere.</summary>
    public static bool InRegion(Region region, string? filter) =>
        filter is null || (filter.Length == 2 ? region.Country == filter : region.Subdivision == filter);

    private enum Mode { InPerson, Online }

    /// <summary>A group being built: its convener, members (convener first), and what it shares.</summary>
    private sealed class Group(int convener, int model, int language, Mode mode)
    {
        public readonly List<int> Members = [convener];
        public int Convener => Members[0];
        public int Model { get; } = model;
        public int Language { get; } = language;
        public Mode Mode { get; } = mode;
    }

    /// <summary>One formation: the people, the pair scores computed so far, the groups.</summary>
    private sealed class Run(GroupFormation settings, MatchProfile[] people, string? onlyModel)
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
            int na = a.Members.Count, nb = b.Members.Count;
            var everyone = new int[na + nb];
            a.Members.CopyTo(everyone);
            b.Members.CopyTo(everyone, na);
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
            // (i, j): a's i-th and b's j-th member trade places; i = 0 (a's convener stays): b's j-th moves into a's room;
            // j = 0: a's i-th moves into b's room.
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
            if (best is not { } chosen)
            {
                return false;
            }
            if (chosen.I > 0)
            {
                var member = everyone[chosen.I];
                a.Members.Remove(member);
                b.Members.Add(member);
                _groupOf[member] = ib;
            }
            if (chosen.J > 0)
            {
                var member = everyone[na + chosen.J];
                b.Members.Remove(member);
                a.Members.Add(member);
                _groupOf[member] = ia;
            }
            return true;
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
            if (best is not { } move)
            {
                return false;
            }
            if (move.Out >= 0)
            {
                group.Members.Remove(move.Out);
                _groupOf[move.Out] = -1;
                SetOpen(move.Out, true);
            }
            group.Members.Add(move.In);
            _groupOf[move.In] = index;
            SetOpen(move.In, false);
            return true;
        }

        // ---- The plan, in words ----

        public GroupPlan Plan(GroupPlanStats stats)
        {
            foreach (var group in _groups)
            {
                HandOverToVolunteer(group);
            }
            var groups = _groups.Select(Proposal).ToList();
            var unplaced = people.Where(p => _groupOf[p.Index] < 0)
                .Select(p => new UnplacedSeeker(p.Id, p.Profile.Name, WhyNot(p)))
                .ToList();
            return new GroupPlan(groups, unplaced, stats with { Placed = people.Length - unplaced.Count, ScoredPairs = _scores.Count });
        }

        /// <summary>
        /// A group led by someone asked (nobody willing within reach when it formed) that has since taken in a volunteer:
        /// the most experienced volunteer who has everyone within reach leads it instead.
        /// </summary>
        private void HandOverToVolunteer(Group group)
        {
            if (people[group.Convener].Profile.WillingToConvene)
            {
                return;
            }
            var volunteer = group.Members.Where(m => people[m].Profile.WillingToConvene)
                .Where(m => group.Mode == Mode.Online || group.Members.All(o => o == m || InReach(people[m], people[o])))
                .OrderByDescending(m => people[m].Years).ThenBy(m => people[m].Id, StringComparer.Ordinal)
                .Select(m => (int?)m).FirstOrDefault();
            if (volunteer is { } leader)
            {
                group.Members.Remove(leader);
                group.Members.Insert(0, leader);
            }
        }

        private GroupProposal Proposal(Group group)
        {
            var members = group.Members.Select(i => people[i]).ToList();
            var convener = members[0];
            var model = ReferenceData.Models.First(m => MatchProfile.Bit(ReferenceData.Models, m) == group.Model);
            var language = Featurizer.LanguageCode(group.Language);
            return new GroupProposal(members.Select(Member).ToList(), Member(convener), convener.Profile.WillingToConvene, model, language,
                group.Mode == Mode.InPerson ? "in-person" : "online", (float)MeanScore(group), Reasons(group, model, language, members));
        }

        private static GroupMember Member(MatchProfile p) => new(p.Id, p.Profile.Name, p.Years, PlaceNames.Describe(p.Profile.Region));

        private static List<string> Reasons(Group group, string model, string language, List<MatchProfile> members)
        {
            var convener = members[0];
            var reasons = new List<string>
            {
                $"all practise {ReferenceData.InSentence(model)} mediation",
                $"all speak {PlaceNames.Language(language)}",
            };
            if (group.Mode == Mode.InPerson)
            {
                var farthest = members.Skip(1).Select(m => PairFeatures.DistanceKm(convener, m) ?? 0).DefaultIfEmpty(0).Max();
                reasons.Add(farthest < 10
                    ? $"all can meet in person near {PlaceNames.Describe(convener.Profile.Region)}"
                    : $"all live within {Math.Max(10, Math.Ceiling(farthest / 10) * 10):0} km of {Matching.Reasons.FirstName(convener.Profile.Name)}, for meeting in person");
            }
            else
            {
                var spread = members.Max(m => m.UtcOffsetHours) - members.Min(m => m.UtcOffsetHours);
                reasons.Add(spread == 0 ? "all share the same working hours, for meeting online" : $"at least {9 - spread:0.#} working hours shared by all, for meeting online");
            }
            var name = Matching.Reasons.FirstName(convener.Profile.Name);
            reasons.Add(convener.Profile.WillingToConvene
                ? $"{name} ({convener.Years} years of experience) is willing to convene"
                : $"nobody within reach volunteered to convene; {name} has the most experience ({convener.Years} years) and is asked");
            reasons.Add($"experience from {members.Min(m => m.Years)} to {members.Max(m => m.Years)} years");
            return reasons;
        }

        /// <summary>Why nobody's group has this seeker: too few like them within reach, or the groups within reach filled up.</summary>
        private string WhyNot(MatchProfile person)
        {
            var kinds = Kinds(person).Where(k => _onlyModel == 0 || k.Model == _onlyModel).ToList();
            var alike = kinds.Any(k => _everyone.Any(n => n.Key.Model == k.Model && n.Key.Language == k.Language && n.Value.Any(i => i != person.Index)));
            if (!alike)
            {
                return "Nobody else looking for a peer group shares one of your mediation models and a language with you yet.";
            }
            // Enough to say whether a group was possible: counted up to what one needs.
            var reachable = kinds.SelectMany(k => Nearby(_everyone, k.Model, k.Language, k.Mode, person))
                .Where(i => i != person.Index && (InReach(person, people[i])
                    || (person.Online && people[i].Online && Math.Abs(person.UtcOffsetHours - people[i].UtcOffsetHours) <= OnlineSpreadHours)))
                .Distinct().Take(MinimumSize - 1).Count();
            if (reachable < MinimumSize - 1)
            {
                return reachable == 0
                    ? $"Others looking for a peer group share your model and a language, but none can meet you: in person within {InPersonReachKm:0} km, or online in shared working hours."
                    : $"Only {reachable} other{(reachable == 1 ? "" : "s")} looking for a peer group share your model and a language and can meet you; a group needs {MinimumSize}.";
            }
            return "The groups within your reach are full, and too few are left for another; a new group can form as more people join.";
        }
    }
}
