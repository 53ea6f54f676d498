using System.Collections.Concurrent;
using PeerMatch.Email;
using PeerMatch.Invitations;
using PeerMatch.Practitioners;

namespace PeerMatch.Tests.Invitations;

/// <summary>The ports of invitation sending, kept in memory: shards with versions, the campaign slots, a queue, and a sender.</summary>
internal sealed class InvitationPorts
{
    public Shards ShardRows { get; } = new();

    public Slots SlotRows { get; } = new();

    public Sender Mail { get; } = new();

    /// <summary>A shard of <paramref name="invitees"/>, recorded pending as a posted campaign leaves it (not yet queued).</summary>
    public ShardMessage Post(string campaignId, DateTimeOffset now, params Invitee[] invitees)
    {
        var shard = new ShardMessage(campaignId, $"p1-{ShardRows.Count:D3}");
        ShardRows.Posts[campaignId] = new CampaignPost(campaignId, "p1", "Spring", "Join us.", "The Network", now);
        ShardRows.Put(new CampaignShard(shard, "p1", ShardStates.Pending, "") { CreatedAt = now, NextAttemptAt = now, Recorded = invitees.Length });
        foreach (var invitee in invitees)
        {
            ShardRows.Recipients[(campaignId, invitee.Key)] = new Recipient(shard.ShardId, invitee, RecipientStates.Pending, null);
        }
        return shard;
    }

    public static Invitee Invitee(string name) => new($"{name}@example.org", name, EmailAddresses.Key($"{name}@example.org"));

    public sealed record Recipient(string ShardId, Invitee Invitee, string State, string? Reason);

    public sealed class Shards : ICampaignShards
    {
        private readonly ConcurrentDictionary<ShardMessage, CampaignShard> _rows = new();
        private int _versions;

        public ConcurrentDictionary<string, CampaignPost> Posts { get; } = new();

        public ConcurrentDictionary<(string Campaign, string Key), Recipient> Recipients { get; } = new();

        /// <summary>Every message queued, with its delay.</summary>
        public ConcurrentQueue<(ShardMessage Shard, TimeSpan? Delay)> Queued { get; } = new();

        public int Count => _rows.Count;

        public CampaignShard this[ShardMessage shard] => _rows[shard];

        /// <summary>Writes a shard as another worker would: whatever it was, with a new version.</summary>
        public CampaignShard Put(CampaignShard shard) => _rows[shard.Id] = shard with { Version = $"v{Interlocked.Increment(ref _versions)}" };

        public IEnumerable<Recipient> StatesOf(ShardMessage shard) => Recipients.Where(r => r.Key.Campaign == shard.CampaignId && r.Value.ShardId == shard.ShardId).Select(r => r.Value);

        public Task<CampaignShard?> GetShardAsync(ShardMessage shard, CancellationToken cancellationToken) => Task.FromResult(_rows.GetValueOrDefault(shard));

        public Task<CampaignShard?> TryUpdateShardAsync(CampaignShard shard, CancellationToken cancellationToken)
        {
            lock (_rows)
            {
                return Task.FromResult(_rows.TryGetValue(shard.Id, out var stored) && stored.Version == shard.Version ? Put(shard) : null);
            }
        }

        public Task<CampaignPost?> GetPostAsync(string campaignId, string postId, CancellationToken cancellationToken) => Task.FromResult(Posts.GetValueOrDefault(campaignId));

        public Task<IReadOnlyList<Invitee>> PendingAsync(ShardMessage shard, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<Invitee>>(StatesOf(shard).Where(r => r.State == RecipientStates.Pending).Select(r => r.Invitee).ToList());

        public Task SettleAsync(ShardMessage shard, IEnumerable<string> keys, string state, string? reason, CancellationToken cancellationToken)
        {
            foreach (var key in keys)
            {
                Recipients[(shard.CampaignId, key)] = Recipients[(shard.CampaignId, key)] with { State = state, Reason = reason };
            }
            return Task.CompletedTask;
        }

        public Task EnqueueAsync(ShardMessage shard, TimeSpan? delay, CancellationToken cancellationToken)
        {
            Queued.Enqueue((shard, delay));
            return Task.CompletedTask;
        }

        public Task<IReadOnlyList<CampaignShard>> UnfinishedAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<CampaignShard>>(_rows.Values.Where(s => s.State is ShardStates.Pending or ShardStates.Calling).ToList());

        public Task<IReadOnlyList<CampaignShard>> InDoubtAsync(string campaignId, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<CampaignShard>>(_rows.Values.Where(s => s.Id.CampaignId == campaignId && s.State == ShardStates.InDoubt).ToList());
    }

    public sealed class Slots : ISendingSlots
    {
        private readonly Dictionary<string, (SendingSlot Slot, DateTimeOffset AliveAt)> _held = [];
        private int _versions;

        /// <summary>Another worker holds the campaign's slot, last alive at <paramref name="aliveAt"/>.</summary>
        public void HeldElsewhere(string campaignId, DateTimeOffset aliveAt) => _held[campaignId] = (new SendingSlot(campaignId, "other", "elsewhere"), aliveAt);

        public bool IsHeld(string campaignId) => _held.ContainsKey(campaignId);

        public Task<SendingSlot?> TryTakeSlotAsync(ShardMessage shard, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
        {
            lock (_held)
            {
                if (_held.TryGetValue(shard.CampaignId, out var held) && now - held.AliveAt < lease)
                {
                    return Task.FromResult<SendingSlot?>(null);
                }
                var slot = new SendingSlot(shard.CampaignId, shard.ShardId, $"s{++_versions}");
                _held[shard.CampaignId] = (slot, now);
                return Task.FromResult<SendingSlot?>(slot);
            }
        }

        public Task<SendingSlot?> RenewSlotAsync(SendingSlot slot, DateTimeOffset now, CancellationToken cancellationToken)
        {
            lock (_held)
            {
                if (!_held.TryGetValue(slot.CampaignId, out var held) || held.Slot.Version != slot.Version)
                {
                    return Task.FromResult<SendingSlot?>(null);
                }
                var renewed = slot with { Version = $"s{++_versions}" };
                _held[slot.CampaignId] = (renewed, now);
                return Task.FromResult<SendingSlot?>(renewed);
            }
        }

        public Task ReleaseSlotAsync(SendingSlot slot, CancellationToken cancellationToken)
        {
            lock (_held)
            {
                if (_held.TryGetValue(slot.CampaignId, out var held) && held.Slot.Version == slot.Version)
                {
                    _held.Remove(slot.CampaignId);
                }
            }
            return Task.CompletedTask;
        }
    }

    /// <summary>Writes each shard's message as a bulk e-mail whose recipient ids are the address keys.</summary>
    public sealed class Composer : IInvitationComposer
    {
        public Task<BulkEmail> ComposeAsync(CampaignPost post, IReadOnlyList<Invitee> recipients, string mailingId, CancellationToken cancellationToken) =>
            Task.FromResult(new BulkEmail(InvitationEmails.Invitation, $"{post.Sender} invites you", post.Message, $"<p>{post.Message}</p>",
                recipients.Select(r => new BulkRecipient(r.Key, r.Email, r.Name, new Uri("https://peermatch.test/unsubscribe"), new Dictionary<string, string>())).ToList(),
                mailingId));
    }

    /// <summary>The e-mail service: takes requests (or fails them as told), and says who has a mailing when it can tell.</summary>
    public sealed class Sender : IBulkEmailSender
    {
        public List<BulkEmail> Requests { get; } = [];

        /// <summary>The answer to the next requests, one each; none left: taken.</summary>
        public Queue<EmailSendException> Failures { get; } = new();

        /// <summary>Who has a mailing already, by recipient id; null: this sender cannot tell.</summary>
        public IReadOnlySet<string>? Delivered { get; set; } = new HashSet<string>();

        public IEnumerable<string> AddressesSent => Requests.SelectMany(r => r.Recipients).Select(r => r.Address);

        public Task SendAsync(BulkEmail email, CancellationToken cancellationToken)
        {
            if (Failures.TryDequeue(out var failure))
            {
                throw failure;
            }
            Requests.Add(email);
            return Task.CompletedTask;
        }

        public Task<IReadOnlySet<string>?> DeliveredAsync(BulkEmail email, CancellationToken cancellationToken) => Task.FromResult(Delivered);
    }
}
