using System.Globalization;
using PeerMatch.Matching;
using PeerMatch.Matching.Groups;
using PeerMatch.Places;
using PeerMatch.Practitioners;

namespace PeerMatch.Functions.Groups;

/// <summary>Someone with a seat in a group, as pages and e-mails show them (their address only to members of a formed group).</summary>
public sealed record GroupPerson(GroupSeat Seat, Profile Profile, bool Convenes)
{
    public string Id => Seat.PractitionerId;
    public string FirstName => Reasons.FirstName(Profile.Name);
    public string Place => PlaceNames.Describe(Profile.Region);
    public IReadOnlyList<string> Models => Profile.Models.Select(ReferenceData.Label).ToList();
    public string Years => Profile.YearsExperience == 1 ? "1 year" : $"{Profile.YearsExperience} years";
}

/// <summary>A group with the profiles of the people in it (those erased since are left out).</summary>
public sealed record GroupView(GroupWithSeats Group, IReadOnlyList<GroupPerson> People)
{
    public PeerGroup State => Group.Group;

    public GroupPerson? Convener => People.FirstOrDefault(p => p.Convenes);

    /// <summary>Invited and not out: who the invitation and the page show.</summary>
    public IEnumerable<GroupPerson> Invited => People.Where(p => !p.Seat.IsOut);

    public IEnumerable<GroupPerson> Members => People.Where(p => p.Seat.IsMember);

    public GroupPerson? Person(string id) => People.FirstOrDefault(p => p.Id == id);

    /// <summary>The group's model as it reads inside a sentence ("understanding-based").</summary>
    public string ModelLabel => ReferenceData.InSentence(State.Model);

    public string Meeting => State.Meeting == "online" ? "online" : "in person";

    public int YesCount => Group.Seats.Count(s => s.IsYes);

    /// <summary>
    /// Why these people: for a formed group, said of its members as they are now (people leave and join); while it is
    /// forming, the reasons it was proposed with, which speak of those invited.
    /// </summary>
    public IReadOnlyList<string> ReasonsNow(DateTimeOffset now) => State.State == GroupStates.Formed && Members.Any()
        ? GroupFormation.ReasonsFor(State.Model, State.Language, State.Meeting,
            Members.OrderByDescending(m => m.Convenes).Select(m => new Candidate(m.Id, m.Profile)).ToList(), now)
        : State.Reasons;

    public static async Task<GroupView> LoadAsync(GroupWithSeats group, IPractitionerRepository practitioners, CancellationToken cancellationToken)
    {
        var people = new List<GroupPerson>();
        foreach (var seat in group.Seats)
        {
            if (await practitioners.GetAsync(seat.PractitionerId, cancellationToken) is { } p)
            {
                people.Add(new GroupPerson(seat, p.Profile, seat.PractitionerId == group.Group.ConvenerId));
            }
        }
        // The convener first, then by experience: how the invitation reads.
        return new GroupView(group, people.OrderByDescending(p => p.Convenes).ThenByDescending(p => p.Profile.YearsExperience).ThenBy(p => p.Id, StringComparer.Ordinal).ToList());
    }

    /// <summary>The proposed first-meeting times still ahead, each in <paramref name="timeZone"/>: "Tuesday 8 December, 17:30–19:00".</summary>
    public IReadOnlyList<(DateTimeOffset Start, string Local)> TimesFor(string timeZone, DateTimeOffset now)
    {
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var found) ? found : TimeZoneInfo.Utc;
        return (State.MeetingTimes ?? [])
            .Where(t => t > now)
            .Select(t =>
            {
                var start = TimeZoneInfo.ConvertTime(t, zone);
                var end = TimeZoneInfo.ConvertTime(t + FirstMeetingTimes.Length, zone);
                return (t, string.Create(CultureInfo.InvariantCulture, $"{start:dddd d MMMM}, {start:HH:mm}–{end:HH:mm} ({zone.Id})"));
            })
            .ToList();
    }
}
