using PeerMatch.Email;

namespace PeerMatch.Invitations;

/// <summary>A shard of a campaign (at most 1,000 of its recipients, sent as one bulk request), as queued for sending.</summary>
public sealed record ShardMessage(string CampaignId, string ShardId);

/// <summary>
/// Where a shard stands. Calling: its request to the e-mail service is under way (or was, when its worker stopped).
/// In doubt: a request whose answer never came, which the e-mail service cannot say went out; it waits for an
/// organizer to count it as sent or to send it again.
/// </summary>
public static class ShardStates
{
    public const string Pending = "pending";
    public const string Calling = "calling";
    public const string Sent = "sent";
    public const string Failed = "failed";
    public const string InDoubt = "in-doubt";

    /// <summary>Nothing more happens to the shard unless an organizer says so.</summary>
    public static bool IsSettled(string? state) => state is Sent or Failed or InDoubt;
}

/// <summary>Where a recipient stands in a campaign.</summary>
public static class RecipientStates
{
    public const string Pending = "pending";
    public const string Sent = "sent";
    public const string Failed = "failed";
    public const string Skipped = "skipped";
}

/// <summary>
/// A shard as last read. <see cref="Version"/> is what it was read at: a write over it succeeds only if nobody wrote the
/// shard since, which is what keeps two workers from both sending it.
/// </summary>
public sealed record CampaignShard(ShardMessage Id, string PostId, string State, string Version)
{
    public DateTimeOffset CreatedAt { get; init; }

    public int Attempts { get; init; }

    public string? Error { get; init; }

    /// <summary>When a pending shard is next tried (a lost queue message is found by it).</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>When its request began: a shard calling for longer than a lease has lost its worker.</summary>
    public DateTimeOffset? CallingAt { get; init; }

    public DateTimeOffset? SentAt { get; init; }

    /// <summary>How many recipients it holds; null while the request that recorded them had not finished counting.</summary>
    public int? Recorded { get; init; }

    /// <summary>How many were sent it, or are (or were, when in doubt) in its request; the others were skipped.</summary>
    public int? Sending { get; init; }

    /// <summary>Of <see cref="Sending"/>, those found to have it already when a request was interrupted.</summary>
    public int SentBefore { get; init; }
}

/// <summary>The shards of campaigns and their recipients, where the sending keeps its state (Table Storage, and a queue).</summary>
public interface ICampaignShards
{
    Task<CampaignShard?> GetShardAsync(ShardMessage shard, CancellationToken cancellationToken);

    /// <summary>Writes the shard over the version it was read at: the shard as written (its new version), or null when someone wrote it since.</summary>
    Task<CampaignShard?> TryUpdateShardAsync(CampaignShard shard, CancellationToken cancellationToken);

    Task<CampaignPost?> GetPostAsync(string campaignId, string postId, CancellationToken cancellationToken);

    /// <summary>The shard's recipients still to send, with their address and name.</summary>
    Task<IReadOnlyList<Invitee>> PendingAsync(ShardMessage shard, CancellationToken cancellationToken);

    /// <summary>Records how it ended for these recipients of a shard; their address and name are not kept past this point.</summary>
    Task SettleAsync(ShardMessage shard, IEnumerable<string> keys, string state, string? reason, CancellationToken cancellationToken);

    /// <summary>Queues the shard for sending, now or after <paramref name="delay"/>.</summary>
    Task EnqueueAsync(ShardMessage shard, TimeSpan? delay, CancellationToken cancellationToken);

    /// <summary>Every shard still to send: pending, or calling (its worker may have stopped).</summary>
    Task<IReadOnlyList<CampaignShard>> UnfinishedAsync(CancellationToken cancellationToken);

    /// <summary>A campaign's shards whose request was left in doubt.</summary>
    Task<IReadOnlyList<CampaignShard>> InDoubtAsync(string campaignId, CancellationToken cancellationToken);
}

/// <summary>A campaign's sending slot as held by one worker, at the version it last wrote.</summary>
public sealed record SendingSlot(string CampaignId, string ShardId, string Version);

/// <summary>
/// Each campaign's sending slot, held by the worker sending one of its shards: a campaign's shards are sent one at a
/// time, so a worker that stops mid-request leaves at most one shard in doubt.
/// </summary>
public interface ISendingSlots
{
    /// <summary>
    /// Takes the campaign's slot for <paramref name="shard"/>: when nobody holds it, or its holder has shown no sign of
    /// life for <paramref name="lease"/> (a worker that stopped). Null when another worker holds it.
    /// </summary>
    Task<SendingSlot?> TryTakeSlotAsync(ShardMessage shard, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>A sign of life from the slot's holder; null when the slot is no longer its own (taken over).</summary>
    Task<SendingSlot?> RenewSlotAsync(SendingSlot slot, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Frees the slot, if it is still the holder's.</summary>
    Task ReleaseSlotAsync(SendingSlot slot, CancellationToken cancellationToken);
}

/// <summary>Writes a shard's invitations as one bulk message (the template rendered once, each recipient's values apart).</summary>
public interface IInvitationComposer
{
    Task<BulkEmail> ComposeAsync(CampaignPost post, IReadOnlyList<Invitee> recipients, string mailingId, CancellationToken cancellationToken);
}

/// <summary>
/// How sending waits: a worker's slot lapses after <paramref name="Lease"/> without a sign of life; after a 5xx or a
/// timeout a shard is tried again after <paramref name="FirstRetryDelay"/>, each later wait doubling.
/// </summary>
public sealed record SendingTimes(TimeSpan Lease, TimeSpan FirstRetryDelay);
