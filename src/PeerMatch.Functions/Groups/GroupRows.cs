using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using PeerMatch.Matching.Groups;

namespace PeerMatch.Functions.Groups;

/// <summary>How a group and its seats are written as rows of <c>Groups</c> (the group's row has RK "~group", each seat the person's id).</summary>
internal static class GroupRows
{
    public const string GroupRow = "~group";

    public static GroupWithSeats? Read(List<TableEntity> rows)
    {
        var groupRow = rows.FirstOrDefault(r => r.RowKey == GroupRow);
        return groupRow is null ? null : new GroupWithSeats(ToGroup(groupRow), rows.Where(r => r.RowKey != GroupRow).Select(ToSeat).ToList());
    }

    public static TableEntity ToEntity(PeerGroup g) => new(g.Id, GroupRow)
    {
        ["State"] = g.State,
        ["Model"] = g.Model,
        ["Language"] = g.Language,
        ["Meeting"] = g.Meeting,
        ["ConvenerId"] = g.ConvenerId,
        ["Reasons"] = JsonSerializer.Serialize(g.Reasons, GroupJson.Default.IReadOnlyListString),
        ["Origin"] = g.Origin,
        ["CreatedAt"] = g.CreatedAt,
        ["FormedAt"] = g.FormedAt,
        ["ClosedAt"] = g.ClosedAt,
        ["MeetingTimes"] = g.MeetingTimes is null ? null : string.Join(',', g.MeetingTimes.Select(t => t.ToUnixTimeSeconds())),
        ["CheckInQueuedAt"] = g.CheckInQueuedAt,
        ["ConvenerAsked"] = g.ConvenerAsked,
        ["ConvenerAskedAt"] = g.ConvenerAskedAt,
        ["ConvenerAcceptedAt"] = g.ConvenerAcceptedAt,
        ["StandingLocal"] = g.Standing?.LocalStart.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture),
        ["StandingZone"] = g.Standing?.TimeZone,
        ["EveryWeeks"] = g.Standing?.EveryWeeks,
        ["CalendarSequence"] = g.Standing?.Sequence,
        ["CalendarQueued"] = g.CalendarQueued,
        ["RemindedThrough"] = g.RemindedThrough,
        ["Swaps"] = g.Swaps is { Count: > 0 } swaps ? string.Join(',', swaps.Select(p => $"{p.Key}={p.Value}")) : null,
        ["Held"] = g.Held is { Count: > 0 } held ? string.Join(',', held) : null,
        ["CheckInRound"] = g.CheckInRound,
        ["LastMetAt"] = g.LastMetAt,
        ["LapsedNudgedAt"] = g.LapsedNudgedAt,
        ["Proposed"] = g.Proposed,
        ["PassedOver"] = g.PassedOver is { Count: > 0 } passed ? string.Join(',', passed) : null,
        ["BelowThreeSince"] = g.BelowThreeSince,
        ["Rules"] = g.Rules,
        ["RulesVersion"] = g.RulesVersion,
        ["RulesQueued"] = g.RulesQueued,
    };

    public static PeerGroup ToGroup(TableEntity e) => new(
        e.PartitionKey,
        e.GetString("State") ?? GroupStates.Inviting,
        e.GetString("Model") ?? "",
        e.GetString("Language") ?? "",
        e.GetString("Meeting") ?? "",
        e.GetString("ConvenerId") ?? "",
        JsonSerializer.Deserialize(e.GetString("Reasons") ?? "[]", GroupJson.Default.IReadOnlyListString) ?? [],
        e.GetString("Origin") ?? "",
        e.GetDateTimeOffset("CreatedAt") ?? default,
        e.GetDateTimeOffset("FormedAt"),
        e.GetDateTimeOffset("ClosedAt"),
        e.GetString("MeetingTimes") is { Length: > 0 } times
            ? times.Split(',').Select(t => DateTimeOffset.FromUnixTimeSeconds(long.Parse(t, CultureInfo.InvariantCulture))).ToList()
            : null,
        e.GetDateTimeOffset("CheckInQueuedAt"),
        e.ETag.ToString())
    {
        ConvenerAsked = e.GetString("ConvenerAsked"),
        ConvenerAskedAt = e.GetDateTimeOffset("ConvenerAskedAt"),
        ConvenerAcceptedAt = e.GetDateTimeOffset("ConvenerAcceptedAt"),
        Standing = e.GetString("StandingLocal") is { Length: > 0 } local
            ? new StandingMeeting(DateTime.ParseExact(local, "yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture), e.GetString("StandingZone") ?? "UTC",
                e.GetInt32("EveryWeeks") ?? StandingMeeting.DefaultEveryWeeks, e.GetInt32("CalendarSequence") ?? 0)
            : null,
        CalendarQueued = e.GetInt32("CalendarQueued") ?? -1,
        RemindedThrough = e.GetInt32("RemindedThrough") ?? -1,
        Swaps = e.GetString("Swaps") is { Length: > 0 } swaps
            ? swaps.Split(',').Select(p => p.Split('=')).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal)
            : null,
        Held = Numbers(e.GetString("Held")),
        // Groups checked in on before rounds were counted had their first.
        CheckInRound = e.GetInt32("CheckInRound") ?? (e.GetDateTimeOffset("CheckInQueuedAt") is null ? 0 : 1),
        LastMetAt = e.GetDateTimeOffset("LastMetAt"),
        LapsedNudgedAt = e.GetDateTimeOffset("LapsedNudgedAt"),
        Proposed = e.GetString("Proposed"),
        PassedOver = e.GetString("PassedOver") is { Length: > 0 } passed ? passed.Split(',') : null,
        BelowThreeSince = e.GetDateTimeOffset("BelowThreeSince"),
        Rules = e.GetString("Rules"),
        RulesVersion = e.GetInt32("RulesVersion") ?? 0,
        RulesQueued = e.GetInt32("RulesQueued") ?? 0,
    };

    private static List<int>? Numbers(string? list) =>
        list is { Length: > 0 } ? list.Split(',').Select(n => int.Parse(n, CultureInfo.InvariantCulture)).ToList() : null;

    private static readonly string[] Marks =
    [
        SeatMarks.Invitation, SeatMarks.Introduction, SeatMarks.Announced, SeatMarks.LeaveTold, SeatMarks.CalledOffTold, SeatMarks.ConvenerRequest,
        SeatMarks.ConvenerTold, SeatMarks.WoundDownTold,
    ];

    public static TableEntity ToEntity(GroupSeat s)
    {
        var entity = new TableEntity(s.GroupId, s.PractitionerId)
        {
            ["InvitedAt"] = s.InvitedAt,
            ["Answer"] = s.Answer,
            ["AnsweredAt"] = s.AnsweredAt,
            ["Expired"] = s.Expired,
            ["DeclinedConvening"] = s.DeclinedConvening,
            ["JoinedAt"] = s.JoinedAt,
            ["LeftAt"] = s.LeftAt,
            ["Replaced"] = s.Replaced,
            ["Met"] = s.Met,
            ["TimesSuit"] = s.TimesSuit is null ? null : string.Join(',', s.TimesSuit),
            ["EveryWeeks"] = s.EveryWeeks,
            ["TakesTurns"] = s.TakesTurns,
            ["PolledAt"] = s.PolledAt,
            ["MetRound"] = s.MetRound,
            ["RulesAgreed"] = s.RulesAgreed,
            ["RulesVersionAnswered"] = s.RulesVersionAnswered,
        };
        foreach (var mark in s.Queued ?? new HashSet<string>())
        {
            entity[mark + "Queued"] = s.InvitedAt; // when is kept by MarkQueuedAsync; a rewrite only keeps that it was
        }
        return entity;
    }

    public static GroupSeat ToSeat(TableEntity e) => new(
        e.PartitionKey,
        e.RowKey,
        e.GetDateTimeOffset("InvitedAt") ?? default,
        e.GetString("Answer"),
        e.GetDateTimeOffset("AnsweredAt"),
        e.GetBoolean("Expired") ?? false,
        e.GetBoolean("DeclinedConvening") ?? false,
        e.GetDateTimeOffset("JoinedAt"),
        e.GetDateTimeOffset("LeftAt"),
        e.GetBoolean("Replaced") ?? false,
        e.GetString("Met"),
        Marks.Where(m => e.ContainsKey(m + "Queued")).ToHashSet(StringComparer.Ordinal),
        e.ETag.ToString())
    {
        TimesSuit = e.GetString("TimesSuit") is { } suit ? Numbers(suit) ?? [] : null,
        EveryWeeks = e.GetInt32("EveryWeeks"),
        TakesTurns = e.GetBoolean("TakesTurns"),
        PolledAt = e.GetDateTimeOffset("PolledAt"),
        MetRound = e.GetInt32("MetRound") ?? 0,
        RulesAgreed = e.GetBoolean("RulesAgreed"),
        RulesVersionAnswered = e.GetInt32("RulesVersionAnswered") ?? 0,
    };
}
