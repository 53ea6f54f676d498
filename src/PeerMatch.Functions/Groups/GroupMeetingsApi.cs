using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using PeerMatch.Functions.Http;
using PeerMatch.Functions.Intake;
using PeerMatch.Matching.Groups;
using PeerMatch.Practitioners;
using PeerMatch.Validation;

namespace PeerMatch.Functions.Groups;

/// <summary>One of the times a poll offers: when, how many it suits, and whether it suits the reader.</summary>
public sealed record PollTime(int Index, DateTimeOffset Start, int Suits, bool SuitsYou);

/// <summary>One meeting ahead (or the last one): when, who facilitates, who brings the case (first names), whether it was marked held.</summary>
public sealed record MeetingView(int Meeting, DateTimeOffset Start, string? Facilitator, string? CaseBringer, bool Held);

/// <summary>A formed group's meetings as an API client sees them: the poll while it is open, then the standing meeting and the next three.</summary>
public sealed record GroupMeetingsView(IReadOnlyList<PollTime>? Poll, int Answered, string? Rhythm, int? EveryWeeks, IReadOnlyList<MeetingView>? Next);

/// <summary>What a meeting form asked: the times that suit, a time proposed (poll), a new time (the convener's change), the rhythm, taking turns.</summary>
public sealed record MeetingForm(IReadOnlyList<int> TimesSuit, DateTime? Propose, DateTime? Time, int? EveryWeeks, bool TakesTurns);

/// <summary>
/// A formed group's meetings, from its page (the group's token): <c>POST /api/groups/{id}/times</c> answers the time
/// poll (<c>t0</c>…<c>t7=yes</c>, <c>propose</c>, <c>every</c>, <c>turns</c>) or, once there is a standing meeting, is the
/// convener's change (<c>time</c>, <c>every</c>); <c>…/turns</c> swaps a turn (<c>meeting</c>, <c>role</c>, <c>with</c>);
/// <c>…/held</c> marks a meeting held (<c>meeting</c>). Times are the reader's wall-clock time, <c>yyyy-MM-ddTHH:mm</c>.
/// </summary>
public sealed class GroupMeetingsApi(
    LinkedPages pages, GroupPages groupPages, GroupMeetings meetings, GroupSettling settling, IPractitionerRepository practitioners, TimeProvider clock)
{
    [Function("GroupTimes")]
    public Task<Results<Ok<GroupMeetingsView>, SeeOther, ValidationProblem, ProblemHttpResult, LinkProblemResult>> TimesAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = GroupRoutes.GroupTimes)] HttpRequest request, string id, CancellationToken cancellationToken) =>
        pages.AnswerAsync(request, groupPages.Group, id, ReadTimes, async (seen, form, ct) =>
        {
            var zone = StandingMeeting.Zone(seen.Viewer.Profile.Region.TimeZone);
            var changed = seen.Group.Group.Standing is null
                ? await meetings.AnswerPollAsync(id, seen.Viewer.Id, new PollAnswer(form.TimesSuit, ToUtc(form.Propose, zone), form.EveryWeeks, form.TakesTurns), ct)
                : await meetings.ChangeStandingAsync(id, seen.Viewer.Id, ToUtc(form.Time, zone), form.EveryWeeks, ct);
            return changed is null ? null : await ViewAsync(id, seen, ct);
        }, cancellationToken);

    [Function("GroupTurns")]
    public Task<Results<Ok<GroupMeetingsView>, SeeOther, ValidationProblem, ProblemHttpResult, LinkProblemResult>> TurnsAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = GroupRoutes.GroupTurns)] HttpRequest request, string id, CancellationToken cancellationToken) =>
        pages.AnswerAsync(request, groupPages.Group, id, ReadSwap,
            async (seen, swap, ct) => await meetings.SwapAsync(id, seen.Viewer.Id, swap.Role, swap.Meeting, swap.With, ct) is null ? null : await ViewAsync(id, seen, ct),
            cancellationToken);

    [Function("GroupHeld")]
    public Task<Results<Ok<GroupMeetingsView>, SeeOther, ValidationProblem, ProblemHttpResult, LinkProblemResult>> HeldAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = GroupRoutes.GroupHeld)] HttpRequest request, string id, CancellationToken cancellationToken) =>
        pages.AnswerAsync(request, groupPages.Group, id, static (seen, fields, errors) => Meeting(fields, "meeting", errors),
            async (seen, meeting, ct) => await meetings.MarkHeldAsync(id, seen.Viewer.Id, meeting, ct) is null ? null : await ViewAsync(id, seen, ct),
            cancellationToken);

    /// <summary>The meetings as they stand after the group took its next steps (a poll everyone answered closes at once).</summary>
    private async Task<GroupMeetingsView?> ViewAsync(string id, GroupSeen seen, CancellationToken cancellationToken)
    {
        if (await settling.SettleAsync(id, cancellationToken) is not { } group)
        {
            return null;
        }
        var view = await GroupView.LoadAsync(group, practitioners, cancellationToken);
        return View(group, seen.Viewer.Id, clock.GetUtcNow(), person => person is null ? null : view.Person(person)?.FirstName);
    }

    /// <summary>The meetings of <paramref name="group"/> as <paramref name="viewerId"/> sees them; <paramref name="firstName"/> names a member.</summary>
    public static GroupMeetingsView View(GroupWithSeats group, string viewerId, DateTimeOffset now, Func<string?, string?> firstName)
    {
        var members = group.Members.ToList();
        if (group.Group.Standing is not { } standing)
        {
            var poll = (group.Group.MeetingTimes ?? []).Select((t, i) => new PollTime(i, t, members.Count(m => m.TimesSuit?.Contains(i) == true),
                group.Seat(viewerId)?.TimesSuit?.Contains(i) == true)).ToList();
            return new GroupMeetingsView(poll, members.Count(m => m.PolledAt is not null), null, null, null);
        }
        var next = standing.NextIndex(now);
        var meetingsAhead = Enumerable.Range(Math.Max(0, next - 1), next == 0 ? 3 : 4).Select(n =>
        {
            var turns = Turns.Of(group, n);
            return new MeetingView(n, standing.Start(n), firstName(turns.Facilitator), firstName(turns.CaseBringer), group.Group.Held?.Contains(n) == true);
        }).ToList();
        return new GroupMeetingsView(null, members.Count(m => m.PolledAt is not null), standing.Rhythm, standing.EveryWeeks, meetingsAhead);
    }

    private static MeetingForm ReadTimes(GroupSeen seen, IReadOnlyDictionary<string, string> fields, ValidationErrors errors)
    {
        var suits = new List<int>();
        for (var i = 0; i < GroupMeetings.MaxTimes; i++)
        {
            switch (fields.GetValueOrDefault(string.Create(CultureInfo.InvariantCulture, $"t{i}")))
            {
                case null or "no":
                    break;
                case "yes":
                    suits.Add(i);
                    break;
                default:
                    errors.Add($"t{i}", "Must be yes or no.");
                    break;
            }
        }
        int? every = fields.GetValueOrDefault("every") switch
        {
            null or "" => null,
            "2" => 2,
            "4" => 4,
            _ => Invalid<int>(errors, "every", "Must be 2 or 4 (weeks)."),
        };
        var standing = seen.Group.Group.Standing is not null;
        if (standing && seen.Group.Group.ConvenerId != seen.Viewer.Id)
        {
            errors.Add("time", "Only the convener changes the standing meeting.");
        }
        return new MeetingForm(suits, LocalTime(fields, "propose", errors), LocalTime(fields, "time", errors), every,
            fields.GetValueOrDefault("turns") == "yes");
    }

    private static (int Meeting, string Role, int With) ReadSwap(GroupSeen seen, IReadOnlyDictionary<string, string> fields, ValidationErrors errors)
    {
        var role = fields.GetValueOrDefault("role");
        if (!Turns.IsRole(role))
        {
            errors.Add("role", $"Must be {Turns.Facilitator} or {Turns.CaseBringer}.");
        }
        return (Meeting(fields, "meeting", errors), role ?? "", Meeting(fields, "with", errors));
    }

    private static int Meeting(IReadOnlyDictionary<string, string> fields, string name, ValidationErrors errors)
    {
        if (int.TryParse(fields.GetValueOrDefault(name), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n < 10_000)
        {
            return n;
        }
        errors.Add(name, "Must be a meeting's number (0 is the first).");
        return 0;
    }

    /// <summary>A wall-clock time as a browser's <c>datetime-local</c> sends it; empty is none.</summary>
    private static DateTime? LocalTime(IReadOnlyDictionary<string, string> fields, string name, ValidationErrors errors)
    {
        var value = fields.GetValueOrDefault(name);
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        if (DateTime.TryParseExact(value, ["yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return local;
        }
        errors.Add(name, "Must be a date and time, such as 2027-01-12T17:30.");
        return null;
    }

    private static T? Invalid<T>(ValidationErrors errors, string field, string message) where T : struct
    {
        errors.Add(field, message);
        return null;
    }

    private static DateTimeOffset? ToUtc(DateTime? local, TimeZoneInfo zone) =>
        local is { } time ? new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(zone.IsInvalidTime(time) ? time.AddHours(1) : time, DateTimeKind.Unspecified), zone), TimeSpan.Zero) : null;
}
