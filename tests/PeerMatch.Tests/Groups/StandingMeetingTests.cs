using PeerMatch.Matching.Groups;

namespace PeerMatch.Tests.Groups;

/// <summary>The standing meeting's times and turns, as the domain holds them.</summary>
public sealed class StandingMeetingTests
{
    // Tuesday 8 December 2026, 17:30 in Los Angeles (01:30 UTC the next day).
    private static readonly StandingMeeting EveryFourWeeks = StandingMeeting.At(new DateTimeOffset(2026, 12, 9, 1, 30, 0, TimeSpan.Zero), "America/Los_Angeles", 4);

    [Fact]
    public void The_local_time_holds_across_a_daylight_saving_change_and_other_zones_see_it_move()
    {
        // US daylight saving starts on 14 March 2027: the fourth meeting (2 March) is before it, the fifth (30 March) after.
        Assert.Equal(new DateTimeOffset(2027, 3, 3, 1, 30, 0, TimeSpan.Zero), EveryFourWeeks.Start(3));
        Assert.Equal(new DateTimeOffset(2027, 3, 31, 0, 30, 0, TimeSpan.Zero), EveryFourWeeks.Start(4));
        Assert.Equal("Tuesday 2 March, 17:30–19:00 (America/Los_Angeles)", EveryFourWeeks.Describe(3, "America/Los_Angeles"));
        Assert.Equal("Tuesday 30 March, 17:30–19:00 (America/Los_Angeles)", EveryFourWeeks.Describe(4, "America/Los_Angeles"));
        // São Paulo keeps no daylight saving: the same meeting comes an hour earlier there.
        Assert.Equal("Tuesday 2 March, 22:30–00:00 (America/Sao_Paulo)", EveryFourWeeks.Describe(3, "America/Sao_Paulo"));
        Assert.Equal("Tuesday 30 March, 21:30–23:00 (America/Sao_Paulo)", EveryFourWeeks.Describe(4, "America/Sao_Paulo"));
        Assert.Equal("every 4 weeks on Tuesday at 17:30 (America/Los_Angeles)", EveryFourWeeks.Rhythm);
    }

    [Fact]
    public void The_next_meeting_is_the_first_that_has_not_begun()
    {
        Assert.Equal(0, EveryFourWeeks.NextIndex(EveryFourWeeks.Start(0).AddMinutes(-1)));
        Assert.Equal(1, EveryFourWeeks.NextIndex(EveryFourWeeks.Start(0)));
        Assert.Equal(5, EveryFourWeeks.NextIndex(EveryFourWeeks.Start(4).AddDays(1)));
    }

    [Fact]
    public void Facilitating_and_the_case_rotate_among_those_who_take_turns_and_a_swap_holds_for_its_two_meetings()
    {
        var group = Group(("ana", true), ("ben", false), ("cai", true), ("dee", true));

        Assert.Equal(new MeetingTurns(0, "ana", "cai"), Turns.Of(group, 0));
        Assert.Equal(new MeetingTurns(1, "cai", "dee"), Turns.Of(group, 1));
        Assert.Equal(new MeetingTurns(2, "dee", "ana"), Turns.Of(group, 2));
        Assert.Equal(new MeetingTurns(3, "ana", "cai"), Turns.Of(group, 3));

        var swaps = Turns.Swap(group, "ana", Turns.Facilitator, 0, 2);
        var swapped = group with { Group = group.Group with { Swaps = swaps } };
        Assert.Equal("dee", Turns.Of(swapped, 0).Facilitator);
        Assert.Equal("ana", Turns.Of(swapped, 2).Facilitator);
        Assert.Equal("ana", Turns.Of(swapped, 3).Facilitator);
        // Only the holder of a turn can swap it away.
        Assert.Null(Turns.Swap(group, "ben", Turns.Facilitator, 0, 2));
        Assert.Null(Turns.Swap(group, "ana", Turns.CaseBringer, 0, 2));
    }

    [Fact]
    public void With_one_member_taking_turns_they_facilitate_and_nobody_is_named_for_the_case()
    {
        Assert.Equal(new MeetingTurns(5, "ana", null), Turns.Of(Group(("ana", true), ("ben", false)), 5));
        Assert.Equal(new MeetingTurns(0, null, null), Turns.Of(Group(("ana", false)), 0));
    }

    private static GroupWithSeats Group(params (string Id, bool TakesTurns)[] members)
    {
        var formed = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
        var group = new PeerGroup("g1", GroupStates.Formed, "facilitative", "en", "online", members[0].Id, [], "test", formed, formed) { Standing = EveryFourWeeks };
        return new GroupWithSeats(group, members.Select(m => new GroupSeat("g1", m.Id, formed, "yes", formed, JoinedAt: formed) { TakesTurns = m.TakesTurns }).ToList());
    }
}
