using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using PeerMatch.Functions.Storage;
using PeerMatch.Matching;
using PeerMatch.Matching.Groups;
using PeerMatch.Practitioners;

namespace PeerMatch.Functions.Groups;

/// <summary>
/// <c>Groups</c>: PK = group id; the group's row (RK "~group") and one seat row per person invited (RK = their id), so a
/// group is read, and changed with its seats, in one partition. PK "~formation" holds the formation lease and the weeks
/// formed. <c>GroupMemberships</c>: PK = practitioner id, RK = each group they were invited into, plus "~waiting" (why no
/// group has them yet): what the profile page reads, and what erasure follows.
/// </summary>
public sealed class GroupTable(StorageAccount storage, TimeProvider clock) : IGroupStore, IPersonalDataStore
{
    public const string Name = "Groups";
    public const string MembershipsName = "GroupMemberships";

    private const string GroupRow = GroupRows.GroupRow;
    private const string Formation = "~formation";
    private const string Lease = "lease";
    private const string Waiting = "~waiting";

    /// <summary>A formation lease whose holder has not let go after this long belongs to a run that died.</summary>
    public static readonly TimeSpan LeaseLifetime = TimeSpan.FromMinutes(15);

    public async Task CreateAsync(PeerGroup group, IReadOnlyList<GroupSeat> seats, CancellationToken cancellationToken)
    {
        await PointAsync(seats.Select(s => s.PractitionerId), group.Id, cancellationToken);
        var table = await storage.TableAsync(Name, cancellationToken);
        var actions = seats.Select(s => new TableTransactionAction(TableTransactionActionType.Add, GroupRows.ToEntity(s)))
            .Prepend(new TableTransactionAction(TableTransactionActionType.Add, GroupRows.ToEntity(group)))
            .ToList();
        try
        {
            await table.SubmitTransactionAsync(actions, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Group ids are fresh: a conflict is the storage client's retry of this very insert, whose answer was lost.
            if (!await ExistsAsync(table, group.Id, cancellationToken))
            {
                throw;
            }
        }
    }

    public async Task<GroupWithSeats?> GetAsync(string groupId, CancellationToken cancellationToken)
    {
        if (!IsGroupId(groupId))
        {
            return null;
        }
        var table = await storage.TableAsync(Name, cancellationToken);
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {groupId}"), cancellationToken: cancellationToken))
        {
            rows.Add(row);
        }
        return GroupRows.Read(rows);
    }

    public async IAsyncEnumerable<GroupWithSeats> AllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(Name, cancellationToken);
        var partition = new List<TableEntity>();
        // Rows come in key order, so each group's rows arrive together.
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey ne {Formation}"), cancellationToken: cancellationToken))
        {
            if (partition.Count > 0 && partition[0].PartitionKey != row.PartitionKey)
            {
                if (GroupRows.Read(partition) is { } group)
                {
                    yield return group;
                }
                partition = [];
            }
            partition.Add(row);
        }
        if (GroupRows.Read(partition) is { } last)
        {
            yield return last;
        }
    }

    public async Task<IReadOnlyList<string>> GroupIdsOfAsync(string practitionerId, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(MembershipsName, cancellationToken);
        var ids = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {practitionerId} and RowKey ne {Waiting}"), select: ["RowKey"], cancellationToken: cancellationToken))
        {
            ids.Add(row.RowKey);
        }
        return ids;
    }

    public async Task<bool> TryUpdateSeatAsync(GroupSeat seat, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(Name, cancellationToken);
        return await table.TryUpdateAsync(GroupRows.ToEntity(seat), new ETag(seat.Version), TableUpdateMode.Replace, cancellationToken) is not null;
    }

    public async Task<bool> TryUpdateAsync(PeerGroup group, IReadOnlyList<GroupSeat> seats, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(Name, cancellationToken);
        var actions = seats.Select(s => new TableTransactionAction(TableTransactionActionType.UpdateReplace, GroupRows.ToEntity(s), new ETag(s.Version)))
            .Prepend(new TableTransactionAction(TableTransactionActionType.UpdateReplace, GroupRows.ToEntity(group), new ETag(group.Version)))
            .ToList();
        return await table.TrySubmitAsync(actions, cancellationToken);
    }

    public async Task<bool> TryAddSeatAsync(PeerGroup group, GroupSeat seat, CancellationToken cancellationToken)
    {
        await PointAsync([seat.PractitionerId], seat.GroupId, cancellationToken);
        var table = await storage.TableAsync(Name, cancellationToken);
        return await table.TrySubmitAsync(
        [
            new TableTransactionAction(TableTransactionActionType.UpdateReplace, GroupRows.ToEntity(group), new ETag(group.Version)),
            new TableTransactionAction(TableTransactionActionType.Add, GroupRows.ToEntity(seat)),
        ], cancellationToken);
    }

    public async Task<bool> TryReplaceAsync(GroupSeat replaced, GroupSeat replacement, CancellationToken cancellationToken)
    {
        await PointAsync([replacement.PractitionerId], replacement.GroupId, cancellationToken);
        var table = await storage.TableAsync(Name, cancellationToken);
        return await table.TrySubmitAsync(
        [
            new TableTransactionAction(TableTransactionActionType.UpdateReplace, GroupRows.ToEntity(replaced), new ETag(replaced.Version)),
            new TableTransactionAction(TableTransactionActionType.Add, GroupRows.ToEntity(replacement)),
        ], cancellationToken);
    }

    public async Task MarkQueuedAsync(GroupSeat seat, string mark, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(Name, cancellationToken);
        // The seat was erased meanwhile: nothing left to mark.
        await table.TryUpdateAsync(new TableEntity(seat.GroupId, seat.PractitionerId) { [mark + "Queued"] = at }, ETag.All, TableUpdateMode.Merge, cancellationToken);
    }

    public async Task<bool> TryLeaseFormationAsync(string holder, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(Name, cancellationToken);
        return await table.TryTakeAsync(new TableEntity(Formation, Lease) { ["Until"] = now + LeaseLifetime }, holder,
            existing => Task.FromResult(!(existing.GetDateTimeOffset("Until") > now)), cancellationToken);
    }

    public async Task ReleaseFormationAsync(string holder, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(Name, cancellationToken);
        await table.ReleaseAsync(Formation, Lease, holder, cancellationToken);
    }

    public async Task<bool> WeekFormedAsync(string week, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(Name, cancellationToken);
        return (await table.GetEntityIfExistsAsync<TableEntity>(Formation, week, cancellationToken: cancellationToken)).HasValue;
    }

    public async Task MarkWeekFormedAsync(string week, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(Name, cancellationToken);
        await table.UpsertEntityAsync(new TableEntity(Formation, week) { ["FormedAt"] = at }, cancellationToken: cancellationToken);
    }

    public async Task SaveWaitingAsync(IEnumerable<UnplacedSeeker> unplaced, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(MembershipsName, cancellationToken);
        var options = new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(unplaced, options, async (seeker, ct) =>
            await table.UpsertEntityAsync(new TableEntity(seeker.Id, Waiting)
            {
                ["Kind"] = seeker.Why.Kind.ToString(), ["Reachable"] = seeker.Why.Reachable, ["Reason"] = seeker.Reason, ["At"] = at,
            }, TableUpdateMode.Replace, ct));
    }

    public async Task<NoGroupReason?> WaitingReasonAsync(string practitionerId, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(MembershipsName, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(practitionerId, Waiting, cancellationToken: cancellationToken);
        return row.HasValue ? WaitingReason(row.Value!) : null;
    }

    public async Task<Dictionary<string, NoGroupReason>> WaitingReasonsAsync(CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(MembershipsName, cancellationToken);
        var reasons = new Dictionary<string, NoGroupReason>(StringComparer.Ordinal);
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.RowKey == Waiting, select: ["PartitionKey", "Kind", "Reachable"], cancellationToken: cancellationToken))
        {
            reasons[row.PartitionKey] = WaitingReason(row);
        }
        return reasons;
    }

    /// <summary>A stored reason; one stored before reasons had kinds (rewritten by the next formation) reads as too few within reach.</summary>
    private static NoGroupReason WaitingReason(TableEntity row) =>
        Enum.TryParse<NoGroupKind>(row.GetString("Kind"), out var kind) ? new NoGroupReason(kind, row.GetInt32("Reachable")) : NoGroupReason.TooFew();

    /// <summary>
    /// Their seats, the groups they convene (shown by id and state: the rest is the group's), their pointers to groups,
    /// and why they wait. Erasing takes the person out of every group without telling anyone their address: a group they
    /// convened goes on with no convener until the next settle finds one.
    /// </summary>
    private static readonly PersonalRows[] Personal =
    [
        PersonalRows.Where(Name, "groupsConvened", id => TableClient.CreateQueryFilter($"RowKey eq {GroupRow} and ConvenerId eq {id}"),
            "PartitionKey", "State", "CreatedAt").KeepingRowsBlanking("ConvenerId"),
        PersonalRows.Where(Name, "groupSeats", id => TableClient.CreateQueryFilter($"RowKey eq {id}")),
        PersonalRows.InPartition(MembershipsName, "groupMemberships"),
    ];

    public Task<IReadOnlyList<PersonalRecords>> ExportAsync(string practitionerId, CancellationToken cancellationToken) =>
        storage.ExportAsync(Personal, practitionerId, cancellationToken);

    public async Task EraseAsync(string practitionerId, CancellationToken cancellationToken)
    {
        await LeaveNamelesslyAsync(practitionerId, cancellationToken);
        await storage.EraseAsync(Personal, practitionerId, cancellationToken);
    }

    /// <summary>
    /// An erased person's place in each group they are still in becomes a seat that names nobody and has left: a formed
    /// group's members are told that "a member" left, and a forming group invites someone in their place. Written with
    /// the seat's removal in one transaction, so the group never counts them twice or not at all.
    /// </summary>
    private async Task LeaveNamelesslyAsync(string practitionerId, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(Name, cancellationToken);
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"RowKey eq {practitionerId}"), cancellationToken: cancellationToken))
        {
            var seat = GroupRows.ToSeat(row);
            if (seat.IsOut || await GetAsync(seat.GroupId, cancellationToken) is not { Group.IsOpen: true })
            {
                continue;
            }
            var nameless = seat with
            {
                PractitionerId = LeftSeatPrefix + Guid.NewGuid().ToString("N"),
                LeftAt = clock.GetUtcNow(),
                Met = null,
                Queued = seat.Queued?.Where(m => m != SeatMarks.LeaveTold).ToHashSet(),
            };
            // Someone else may change the seat meanwhile: then the erase below removes it, unannounced.
            await table.TrySubmitAsync(
            [
                new TableTransactionAction(TableTransactionActionType.Add, GroupRows.ToEntity(nameless)),
                new TableTransactionAction(TableTransactionActionType.Delete, row, row.ETag),
            ], cancellationToken);
        }
    }

    /// <summary>Seats that stand for someone who erased their profile: they name nobody.</summary>
    public const string LeftSeatPrefix = "~left-";

    /// <summary>Each member's pointer to the group, written before the group: a pointer to a group not stored yet is ignored.</summary>
    private async Task PointAsync(IEnumerable<string> practitionerIds, string groupId, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(MembershipsName, cancellationToken);
        foreach (var id in practitionerIds)
        {
            await table.UpsertEntityAsync(new TableEntity(id, groupId), TableUpdateMode.Replace, cancellationToken);
        }
    }

    private static async Task<bool> ExistsAsync(TableClient table, string groupId, CancellationToken cancellationToken) =>
        (await table.GetEntityIfExistsAsync<TableEntity>(groupId, GroupRow, cancellationToken: cancellationToken)).HasValue;

    private static bool IsGroupId(string value) => value.Length is > 1 and <= 40 && value[0] == 'g' && value.All(char.IsAsciiLetterOrDigit);
}
