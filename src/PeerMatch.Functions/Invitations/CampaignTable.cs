using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Data.Tables;
using PeerMatch.Functions.Storage;
using PeerMatch.Invitations;
using PeerMatch.Practitioners;

namespace PeerMatch.Functions.Invitations;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ShardMessage))]
[JsonSerializable(typeof(CampaignReceipt))]
[JsonSerializable(typeof(ColleagueInvited))]
[JsonSerializable(typeof(CampaignProgress))]
[JsonSerializable(typeof(CampaignList))]
[JsonSerializable(typeof(InDoubtResolved))]
internal sealed partial class CampaignJson : JsonSerializerContext;

/// <summary>
/// The campaign ledger. <c>Invitations</c>: PK = campaign id, RK = <see cref="PeerMatch.Practitioners.EmailAddresses.Key"/> of
/// the address: inserted only when absent, so an address is in a campaign once, whoever posts it how often. It keeps the
/// address and name only until the invitation is sent (or given up). <c>Campaigns</c>: PK = campaign id; RK "campaign"
/// (its title), "post-{id}" (each request's message and sender) and "shard-{id}" (each batch of at most 1,000 and
/// how far its sending got).
/// </summary>
public sealed class CampaignTable(StorageAccount storage, TimeProvider clock) : ICampaignLedger, ICampaignShards, IPersonalDataStore
{
    public const string LedgerName = "Invitations";
    public const string CampaignsName = "Campaigns";
    public const string QueueName = "invitations";

    public async Task<int> RecordAsync(CampaignPost post, IReadOnlyList<Invitee> invitees, int shardSize, CancellationToken cancellationToken)
    {
        var campaigns = await storage.TableAsync(CampaignsName, cancellationToken);
        var ledger = await storage.TableAsync(LedgerName, cancellationToken);
        // The campaign keeps the title it was first posted with (later posts may spell it in another case).
        var campaign = await campaigns.GetEntityIfExistsAsync<TableEntity>(post.CampaignId, "campaign", select: ["Title"], cancellationToken: cancellationToken);
        await campaigns.UpsertEntityAsync(new TableEntity(post.CampaignId, "campaign")
        {
            ["Title"] = campaign.HasValue ? campaign.Value!.GetString("Title") ?? post.Title : post.Title, ["UpdatedAt"] = post.PostedAt,
        }, TableUpdateMode.Merge, cancellationToken);

        await campaigns.UpsertEntityAsync(new TableEntity(post.CampaignId, "post-" + post.PostId)
        {
            ["Title"] = post.Title, ["Message"] = post.Message, ["Sender"] = post.Sender, ["PostedAt"] = post.PostedAt,
        }, TableUpdateMode.Replace, cancellationToken);

        var known = await RecordedKeysAsync(post.CampaignId, cancellationToken);
        var fresh = invitees.Where(i => !known.Contains(i.Key)).ToList();
        if (fresh.Count == 0)
        {
            return 0;
        }
        var shards = fresh.Chunk(shardSize).Select((members, n) => (Id: $"{post.PostId}-{n:D3}", Members: members)).ToList();
        // Shards first: a crash after this leaves shards the resume timer finds, never recipients nobody will send to.
        foreach (var shard in shards)
        {
            await campaigns.UpsertEntityAsync(new TableEntity(post.CampaignId, ShardRow(shard.Id))
            {
                ["Post"] = post.PostId, ["State"] = ShardStates.Pending, ["Attempts"] = 0, ["CreatedAt"] = post.PostedAt,
                ["NextAttemptAt"] = post.PostedAt,
            }, TableUpdateMode.Replace, cancellationToken);
        }
        var recorded = new int[shards.Count];
        await Parallel.ForEachAsync(shards.SelectMany((s, n) => s.Members.Chunk(100).Select(batch => (Shard: n, batch))),
            new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (work, ct) => Interlocked.Add(ref recorded[work.Shard], await InsertAbsentAsync(ledger, post, shards[work.Shard].Id, work.batch, ct)));
        for (var n = 0; n < shards.Count; n++)
        {
            // How many this shard holds (a parallel request may have recorded some of its addresses first): its progress.
            await campaigns.UpdateEntityAsync(new TableEntity(post.CampaignId, ShardRow(shards[n].Id)) { [RecordedCount] = recorded[n] }, ETag.All,
                TableUpdateMode.Merge, cancellationToken);
            await EnqueueAsync(new ShardMessage(post.CampaignId, shards[n].Id), null, cancellationToken);
        }
        return recorded.Sum();
    }

    /// <summary>
    /// On a shard's row: how many recipients it holds; and how many were sent it, or are (or were, when in doubt) in its
    /// request (the others were skipped).
    /// </summary>
    public const string RecordedCount = "Recorded";
    public const string SendingCount = "Sending";

    /// <summary>Of <see cref="SendingCount"/>, those found to have it already when a request was interrupted (the outbox can tell).</summary>
    public const string SentBeforeCount = "SentBefore";

    /// <summary>
    /// Inserts a batch in one transaction; when some are in the campaign already, one by one, leaving another request's
    /// rows and counting this shard's own (the transaction went through, and only its answer was lost).
    /// </summary>
    private static async Task<int> InsertAbsentAsync(TableClient ledger, CampaignPost post, string shardId, Invitee[] batch, CancellationToken cancellationToken)
    {
        TableEntity Row(Invitee i) => new(post.CampaignId, i.Key)
        {
            ["Email"] = i.Email, ["Name"] = i.Name, ["Post"] = post.PostId, ["Shard"] = shardId,
            ["State"] = RecipientStates.Pending, ["RecordedAt"] = post.PostedAt,
        };
        try
        {
            await ledger.SubmitTransactionAsync(batch.Select(i => new TableTransactionAction(TableTransactionActionType.Add, Row(i))), cancellationToken);
            return batch.Length;
        }
        catch (TableTransactionFailedException e) when (e.Status == 409)
        {
            var inserted = 0;
            foreach (var invitee in batch)
            {
                if (await ledger.TryAddAsync(Row(invitee), cancellationToken) is not null
                    || (await ledger.GetEntityAsync<TableEntity>(post.CampaignId, invitee.Key, ["Shard"], cancellationToken)).Value.GetString("Shard") == shardId)
                {
                    inserted++;
                }
            }
            return inserted;
        }
    }

    public async Task EnqueueAsync(ShardMessage shard, TimeSpan? delay, CancellationToken cancellationToken)
    {
        var queue = await storage.QueueAsync(QueueName, cancellationToken);
        await queue.SendMessageAsync(JsonSerializer.Serialize(shard, CampaignJson.Default.ShardMessage), visibilityTimeout: delay, cancellationToken: cancellationToken);
    }

    public static ShardMessage? ParseMessage(string? text)
    {
        try
        {
            return string.IsNullOrWhiteSpace(text) ? null : JsonSerializer.Deserialize(text, CampaignJson.Default.ShardMessage);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Counted from the campaign's shards (at most ten for 10,000 addresses), not its ledger rows: a shard holds
    /// <see cref="RecordedCount"/> recipients, pending until it is sent or has failed, when <see cref="SendingCount"/> of
    /// them were in its request and the rest were skipped. A shard whose count was never written (its request crashed
    /// while recording) is counted from its ledger rows.
    /// </summary>
    public async Task<CampaignProgress?> ProgressAsync(string campaignId, CancellationToken cancellationToken)
    {
        var campaigns = await storage.TableAsync(CampaignsName, cancellationToken);
        var campaign = await campaigns.GetEntityIfExistsAsync<TableEntity>(campaignId, "campaign", cancellationToken: cancellationToken);
        if (!campaign.HasValue)
        {
            return null;
        }
        int pending = 0, sent = 0, failed = 0, skipped = 0, inDoubt = 0;
        var shards = TableClient.CreateQueryFilter($"PartitionKey eq {campaignId} and RowKey ge {"shard-"} and RowKey lt {"shard."}");
        await foreach (var shard in campaigns.QueryAsync<TableEntity>(shards, select: ["RowKey", "State", RecordedCount, SendingCount, SentBeforeCount], cancellationToken: cancellationToken))
        {
            if (shard.GetInt32(RecordedCount) is not { } recorded)
            {
                var counted = await CountLedgerAsync(campaignId, shard.RowKey["shard-".Length..], cancellationToken);
                (pending, sent, failed, skipped) = (pending + counted.Pending, sent + counted.Sent, failed + counted.Failed, skipped + counted.Skipped);
                continue;
            }
            var state = shard.GetString("State");
            if (ShardStates.IsSettled(state))
            {
                var sending = shard.GetInt32(SendingCount) ?? recorded;
                var sentBefore = shard.GetInt32(SentBeforeCount) ?? 0;
                var inRequest = sending - sentBefore;
                sent += sentBefore + (state == ShardStates.Sent ? inRequest : 0);
                failed += state == ShardStates.Failed ? inRequest : 0;
                inDoubt += state == ShardStates.InDoubt ? inRequest : 0;
                skipped += recorded - sending;
            }
            else
            {
                pending += recorded;
            }
        }
        return new CampaignProgress(campaignId, campaign.Value!.GetString("Title") ?? campaignId, pending + sent + failed + skipped + inDoubt, pending, sent, failed, skipped, inDoubt);
    }

    private async Task<(int Pending, int Sent, int Failed, int Skipped)> CountLedgerAsync(string campaignId, string shardId, CancellationToken cancellationToken)
    {
        var ledger = await storage.TableAsync(LedgerName, cancellationToken);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        await foreach (var row in ledger.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {campaignId} and Shard eq {shardId}"), select: ["State"], cancellationToken: cancellationToken))
        {
            var state = row.GetString("State") ?? RecipientStates.Pending;
            counts[state] = counts.GetValueOrDefault(state) + 1;
        }
        return (counts.GetValueOrDefault(RecipientStates.Pending), counts.GetValueOrDefault(RecipientStates.Sent),
            counts.GetValueOrDefault(RecipientStates.Failed), counts.GetValueOrDefault(RecipientStates.Skipped));
    }

    public async Task<IReadOnlySet<string>> RecordedKeysAsync(string campaignId, CancellationToken cancellationToken)
    {
        var ledger = await storage.TableAsync(LedgerName, cancellationToken);
        var known = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var row in ledger.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {campaignId}"), select: ["RowKey"], cancellationToken: cancellationToken))
        {
            known.Add(row.RowKey);
        }
        return known;
    }

    public async Task<IReadOnlyList<CampaignSummary>> RecentAsync(int count, CancellationToken cancellationToken)
    {
        var campaigns = await storage.TableAsync(CampaignsName, cancellationToken);
        // Practitioners' own campaigns ("~colleagues-…") sort after every organizer's id: "lt '~'" leaves them out.
        var filter = TableClient.CreateQueryFilter($"PartitionKey lt {"~"} and RowKey eq {"campaign"}");
        var found = new List<CampaignSummary>();
        await foreach (var row in campaigns.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "Title", "UpdatedAt"], cancellationToken: cancellationToken))
        {
            found.Add(new CampaignSummary(row.PartitionKey, row.GetString("Title") ?? row.PartitionKey, row.GetDateTimeOffset("UpdatedAt") ?? row.Timestamp ?? default));
        }
        return found.OrderByDescending(c => c.UpdatedAt).Take(count).ToList();
    }

    public async Task<int> PostsSinceAsync(string campaignId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var campaigns = await storage.TableAsync(CampaignsName, cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {campaignId} and RowKey ge 'post-' and RowKey lt 'post.' and PostedAt ge {since}");
        var count = 0;
        await foreach (var _ in campaigns.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: cancellationToken))
        {
            count++;
        }
        return count;
    }

    public async Task<CampaignShard?> GetShardAsync(ShardMessage shard, CancellationToken cancellationToken)
    {
        var campaigns = await storage.TableAsync(CampaignsName, cancellationToken);
        var row = await campaigns.GetEntityIfExistsAsync<TableEntity>(shard.CampaignId, ShardRow(shard.ShardId), cancellationToken: cancellationToken);
        return row.HasValue ? ToShard(row.Value!) : null;
    }

    public async Task<CampaignShard?> TryUpdateShardAsync(CampaignShard shard, CancellationToken cancellationToken)
    {
        var campaigns = await storage.TableAsync(CampaignsName, cancellationToken);
        return await campaigns.TryUpdateAsync(ToEntity(shard), new ETag(shard.Version), TableUpdateMode.Replace, cancellationToken) is { } etag
            ? shard with { Version = etag.ToString() }
            : null;
    }

    public async Task<CampaignPost?> GetPostAsync(string campaignId, string postId, CancellationToken cancellationToken)
    {
        var campaigns = await storage.TableAsync(CampaignsName, cancellationToken);
        var row = await campaigns.GetEntityIfExistsAsync<TableEntity>(campaignId, "post-" + postId, cancellationToken: cancellationToken);
        return row.HasValue
            ? new CampaignPost(campaignId, postId, row.Value!.GetString("Title") ?? "", row.Value.GetString("Message") ?? "", row.Value.GetString("Sender") ?? "",
                row.Value.GetDateTimeOffset("PostedAt") ?? clock.GetUtcNow())
            : null;
    }

    /// <summary>The shard's recipients still to send, with their address and name.</summary>
    public async Task<IReadOnlyList<Invitee>> PendingAsync(ShardMessage shard, CancellationToken cancellationToken)
    {
        var ledger = await storage.TableAsync(LedgerName, cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {shard.CampaignId} and Shard eq {shard.ShardId} and State eq {RecipientStates.Pending}");
        var pending = new List<Invitee>();
        await foreach (var row in ledger.QueryAsync<TableEntity>(filter, select: ["RowKey", "Email", "Name"], cancellationToken: cancellationToken))
        {
            pending.Add(new Invitee(row.GetString("Email") ?? "", row.GetString("Name") ?? "", row.RowKey));
        }
        return pending;
    }

    /// <summary>
    /// Records how it ended for these recipients of a shard (the caller passes those still pending). The address and name
    /// are not kept past this point: the ledger keeps the address's key, which is what keeps a campaign from repeating.
    /// </summary>
    public async Task SettleAsync(ShardMessage shard, IEnumerable<string> keys, string state, string? reason, CancellationToken cancellationToken)
    {
        var ledger = await storage.TableAsync(LedgerName, cancellationToken);
        var now = clock.GetUtcNow();
        foreach (var batch in keys.Chunk(100))
        {
            var rows = batch.Select(key => new TableTransactionAction(TableTransactionActionType.UpdateReplace, new TableEntity(shard.CampaignId, key)
            {
                ["Shard"] = shard.ShardId, ["State"] = state, ["Reason"] = reason, ["SettledAt"] = now,
            }, ETag.All));
            await ledger.SubmitTransactionAsync(rows, cancellationToken);
        }
    }

    /// <summary>A practitioner's invitations of colleagues: when, and with what message (the colleagues only as keys).</summary>
    private static readonly PersonalRows[] Personal =
    [
        PersonalRows.InPartition(CampaignsName, "colleagueInvitations", CampaignService.ColleagueCampaignId),
        PersonalRows.InPartition(LedgerName, "colleaguesInvited", CampaignService.ColleagueCampaignId),
    ];

    public Task<IReadOnlyList<PersonalRecords>> ExportAsync(string practitionerId, CancellationToken cancellationToken) =>
        storage.ExportAsync(Personal, practitionerId, cancellationToken);

    public Task EraseAsync(string practitionerId, CancellationToken cancellationToken) => storage.EraseAsync(Personal, practitionerId, cancellationToken);

    public Task<IReadOnlyList<CampaignShard>> UnfinishedAsync(CancellationToken cancellationToken) =>
        ShardsAsync($"RowKey ge 'shard-' and RowKey lt 'shard.' and (State eq '{ShardStates.Pending}' or State eq '{ShardStates.Calling}')", cancellationToken);

    public Task<IReadOnlyList<CampaignShard>> InDoubtAsync(string campaignId, CancellationToken cancellationToken) =>
        ShardsAsync(TableClient.CreateQueryFilter($"PartitionKey eq {campaignId} and RowKey ge {"shard-"} and RowKey lt {"shard."} and State eq {ShardStates.InDoubt}"), cancellationToken);

    private async Task<IReadOnlyList<CampaignShard>> ShardsAsync(string filter, CancellationToken cancellationToken)
    {
        var campaigns = await storage.TableAsync(CampaignsName, cancellationToken);
        var found = new List<CampaignShard>();
        await foreach (var row in campaigns.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            found.Add(ToShard(row));
        }
        return found;
    }

    private static string ShardRow(string shardId) => "shard-" + shardId;

    private static CampaignShard ToShard(TableEntity row) =>
        new(new ShardMessage(row.PartitionKey, row.RowKey["shard-".Length..]), row.GetString("Post") ?? "", row.GetString("State") ?? ShardStates.Pending, row.ETag.ToString())
        {
            CreatedAt = row.GetDateTimeOffset("CreatedAt") ?? default,
            Attempts = row.GetInt32("Attempts") ?? 0,
            Error = row.GetString("Error"),
            NextAttemptAt = row.GetDateTimeOffset("NextAttemptAt"),
            CallingAt = row.GetDateTimeOffset("CallingAt"),
            SentAt = row.GetDateTimeOffset("SentAt"),
            Recorded = row.GetInt32(RecordedCount),
            Sending = row.GetInt32(SendingCount),
            SentBefore = row.GetInt32(SentBeforeCount) ?? 0,
        };

    private static TableEntity ToEntity(CampaignShard shard) => new(shard.Id.CampaignId, ShardRow(shard.Id.ShardId))
    {
        ["Post"] = shard.PostId, ["State"] = shard.State, ["CreatedAt"] = shard.CreatedAt, ["Attempts"] = shard.Attempts, ["Error"] = shard.Error,
        ["NextAttemptAt"] = shard.NextAttemptAt, ["CallingAt"] = shard.CallingAt, ["SentAt"] = shard.SentAt,
        [RecordedCount] = shard.Recorded, [SendingCount] = shard.Sending, [SentBeforeCount] = shard.SentBefore,
    };
}
