using System.Runtime.InteropServices;
using PeerMatch.Places;
using PeerMatch.Practitioners;

namespace PeerMatch.Matching.Groups;

public sealed partial class GroupFormation
{
    /// <summary>The plan in words: each group handed to a volunteer where one can lead it, its reasons, and why each seeker left out has no group.</summary>
    private sealed partial class Run
    {
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
                group.Mode == Mode.InPerson ? "in-person" : "online", (float)MeanScore(group), Reasons(group.Mode, model, language, members));
        }

        private static GroupMember Member(MatchProfile p) => new(p.Id, p.Profile.Name, p.Years, PlaceNames.Describe(p.Profile.Region));

        /// <summary>Why these people, convener first: what they share, how they can meet, who convenes, their experience.</summary>
        public static List<string> Reasons(Mode mode, string model, string language, IReadOnlyList<MatchProfile> members)
        {
            var convener = members[0];
            var reasons = new List<string>
            {
                $"all practise {ReferenceData.InSentence(model)} mediation",
                $"all speak {PlaceNames.Language(language)}",
            };
            if (mode == Mode.InPerson)
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
        private NoGroupReason WhyNot(MatchProfile person)
        {
            var kinds = Kinds(person).Where(k => _onlyModel == 0 || k.Model == _onlyModel).ToList();
            var alike = kinds.Any(k => _everyone.Any(n => n.Key.Model == k.Model && n.Key.Language == k.Language && n.Value.Any(i => i != person.Index)));
            if (!alike)
            {
                return NoGroupReason.NobodyAlike;
            }
            // Enough to say whether a group was possible: counted up to what one needs.
            var reachable = kinds.SelectMany(k => Nearby(_everyone, k.Model, k.Language, k.Mode, person))
                .Where(i => i != person.Index && (InReach(person, people[i])
                    || (person.Online && people[i].Online && Math.Abs(person.UtcOffsetHours - people[i].UtcOffsetHours) <= OnlineSpreadHours)))
                .Distinct().Take(MinimumSize - 1).Count();
            return reachable switch
            {
                0 => NoGroupReason.NoneCanMeet,
                < MinimumSize - 1 => NoGroupReason.TooFew(reachable),
                _ => NoGroupReason.GroupsFull,
            };
        }
    }
}
