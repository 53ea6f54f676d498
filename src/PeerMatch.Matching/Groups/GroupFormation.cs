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

/// <summary>A seeker no group was proposed for, and why (<see cref="Reason"/>: in words for them).</summary>
public sealed record UnplacedSeeker(string Id, string Name, [property: System.Text.Json.Serialization.JsonIgnore] NoGroupReason Why)
{
    public string Reason => Why.ToSeeker();
}

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
/// good group is bought with someone else's poor one. The stages are a run's (<c>GroupFormation.*.cs</c>): its state and
/// rules, the first assignment, the improvement, and the plan in words.
/// </summary>
public sealed partial class GroupFormation(IPairScorer scorer, int size = GroupFormation.DefaultSize)
{
    private readonly IPairScorer _scorer = scorer;
    private readonly int _size = size is >= MinimumSize and <= MaximumSize
        ? size : throw new ArgumentOutOfRangeException(nameof(size), size, $"A group has {MinimumSize} to {MaximumSize} members.");

    public const int MinimumSize = 4;
    public const int MaximumSize = 8;
    public const int DefaultSize = 6;

    /// <summary>In person, everyone lives within this distance of the convener.</summary>
    public const double InPersonReachKm = 80;

    /// <summary>Online, everyone's 09:00–18:00 overlaps by at least 2 hours: UTC offsets at most 7 hours apart.</summary>
    public const double OnlineSpreadHours = 7;

    public const string SeeksPeerGroup = "peer-group";

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

    /// <summary>
    /// Why a group's people belong together, said of <paramref name="members"/> as they are now (the convener first): a
    /// formed group's page speaks of who is in it, not of who was first invited.
    /// </summary>
    public static IReadOnlyList<string> ReasonsFor(string model, string language, string meeting, IReadOnlyList<Candidate> members, DateTimeOffset now) =>
        members.Count == 0 ? [] : Run.Reasons(meeting == "online" ? Mode.Online : Mode.InPerson, model, language, Featurizer.Featurize(members, now));

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
}
