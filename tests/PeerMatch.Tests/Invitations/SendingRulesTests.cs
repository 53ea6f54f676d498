using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PeerMatch.Email;
using PeerMatch.Invitations;
using PeerMatch.Tests.Matching;
using static PeerMatch.Tests.Invitations.InvitationPorts;

namespace PeerMatch.Tests.Invitations;

/// <summary>The rules of invitation sending as the service holds them, on ports kept in memory: no storage, no queue, no HTTP.</summary>
public sealed class SendingRulesTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));
    private readonly InvitationPorts _ports = new();
    private readonly InMemoryPorts _people = new();
    private readonly CampaignSending _sending;

    public SendingRulesTests() =>
        _sending = new CampaignSending(_ports.ShardRows, _ports.SlotRows, _people.People, _people.Suppressed, new Composer(), _ports.Mail,
            new SendingTimes(Lease, FirstRetry), _clock, NullLogger<CampaignSending>.Instance);

    [Fact]
    public async Task A_shard_goes_out_as_one_request_and_a_repeated_queue_message_sends_nothing_more()
    {
        var shard = _ports.Post("spring", _clock.GetUtcNow(), Invitee("ann"), Invitee("ben"), Invitee("cal"));

        await _sending.SendAsync(shard, default);
        await _sending.SendAsync(shard, default);

        var request = Assert.Single(_ports.Mail.Requests);
        Assert.Equal(["ann@example.org", "ben@example.org", "cal@example.org"], request.Recipients.Select(r => r.Address).Order());
        Assert.Equal("spring/" + shard.ShardId, request.MailingId);
        Assert.Equal(ShardStates.Sent, _ports.ShardRows[shard].State);
        Assert.Equal(3, _ports.ShardRows[shard].Sending);
        Assert.All(_ports.ShardRows.StatesOf(shard), r => Assert.Equal(RecipientStates.Sent, r.State));
        Assert.False(_ports.SlotRows.IsHeld("spring"));
    }

    [Fact]
    public async Task Whoever_joined_or_unsubscribed_since_the_list_was_posted_is_skipped_not_invited()
    {
        var shard = _ports.Post("spring", _clock.GetUtcNow(), Invitee("ann"), Invitee("ben"), Invitee("cal"));
        _people.People.Add(People.Person("ann"), _clock.GetUtcNow());
        await _people.Suppressed.SuppressAsync("ben@example.org", default);

        await _sending.SendAsync(shard, default);

        Assert.Equal(["cal@example.org"], _ports.Mail.AddressesSent);
        var states = _ports.ShardRows.StatesOf(shard).ToDictionary(r => r.Invitee.Name, r => r.State);
        Assert.Equal(RecipientStates.Skipped, states["ann"]);
        Assert.Equal(RecipientStates.Skipped, states["ben"]);
        Assert.Equal(RecipientStates.Sent, states["cal"]);
        Assert.Equal(1, _ports.ShardRows[shard].Sending); // progress: 1 sent, 2 skipped
    }

    [Fact]
    public async Task A_429_waits_for_its_Retry_After_and_a_shard_that_keeps_failing_is_recorded_failed_for_everyone_in_it()
    {
        var shard = _ports.Post("spring", _clock.GetUtcNow(), Invitee("ann"), Invitee("ben"));
        _ports.Mail.Failures.Enqueue(new EmailSendException("429 Too Many Requests", transient: true, retryAfter: TimeSpan.FromSeconds(90)));

        await _sending.SendAsync(shard, default);

        Assert.Empty(_ports.Mail.Requests);
        Assert.Equal(ShardStates.Pending, _ports.ShardRows[shard].State);
        Assert.Equal(1, _ports.ShardRows[shard].Attempts);
        Assert.Equal((shard, (TimeSpan?)TimeSpan.FromSeconds(90)), _ports.ShardRows.Queued.Last());
        Assert.All(_ports.ShardRows.StatesOf(shard), r => Assert.Equal(RecipientStates.Pending, r.State));

        for (var attempt = 2; attempt <= CampaignSending.MaxAttempts; attempt++)
        {
            _ports.Mail.Failures.Enqueue(new EmailSendException("503 Service Unavailable", transient: true));
            await _sending.SendAsync(shard, default);
        }

        Assert.Empty(_ports.Mail.Requests);
        Assert.Equal(ShardStates.Failed, _ports.ShardRows[shard].State);
        Assert.All(_ports.ShardRows.StatesOf(shard), r => Assert.Equal((RecipientStates.Failed, "503 Service Unavailable"), (r.State, r.Reason)));
        var waits = _ports.ShardRows.Queued.Select(q => q.Delay).ToList();
        Assert.Equal(FirstRetry * 2, waits[1]); // 5xx back off, doubling from the first retry delay
        Assert.Equal(FirstRetry * 4, waits[2]);
    }

    [Fact]
    public async Task A_refused_request_is_recorded_failed_at_once_with_the_services_reason()
    {
        var shard = _ports.Post("spring", _clock.GetUtcNow(), Invitee("ann"));
        _ports.Mail.Failures.Enqueue(new EmailSendException("400 The from address does not match a verified sender", transient: false));

        await _sending.SendAsync(shard, default);
        await _sending.SendAsync(shard, default);

        Assert.Empty(_ports.Mail.Requests);
        Assert.Equal(ShardStates.Failed, _ports.ShardRows[shard].State);
        Assert.Equal(RecipientStates.Failed, Assert.Single(_ports.ShardRows.StatesOf(shard)).State);
        Assert.Empty(_ports.ShardRows.Queued);
    }

    [Fact]
    public async Task A_shard_whose_worker_stopped_mid_request_sends_only_to_those_the_sender_shows_lack_it()
    {
        var shard = InterruptedShard("spring", Invitee("ann"), Invitee("ben"), Invitee("cal"));
        _ports.Mail.Delivered = new HashSet<string> { Invitee("ann").Key, Invitee("ben").Key };

        await _sending.SendAsync(shard, default);

        Assert.Equal(["cal@example.org"], _ports.Mail.AddressesSent);
        Assert.All(_ports.ShardRows.StatesOf(shard), r => Assert.Equal(RecipientStates.Sent, r.State));
        Assert.Equal((3, 2), (_ports.ShardRows[shard].Sending, _ports.ShardRows[shard].SentBefore));
    }

    [Fact]
    public async Task When_the_sender_cannot_tell_the_shard_is_in_doubt_until_an_organizer_counts_it_sent_or_sends_it_again()
    {
        var counted = InterruptedShard("spring", Invitee("ann"), Invitee("ben"));
        var other = InterruptedShard("autumn", Invitee("cal"));
        _ports.Mail.Delivered = null;

        await _sending.SendAsync(counted, default);
        await _sending.SendAsync(other, default);

        Assert.Empty(_ports.Mail.Requests); // nobody gets a copy that may be their second
        Assert.Equal(ShardStates.InDoubt, _ports.ShardRows[counted].State);
        Assert.Equal(CampaignSending.InDoubtReason, _ports.ShardRows[counted].Error);

        // The organizer checked the service's activity: it went out. Another campaign's doubt is its own.
        Assert.Equal(2, await _sending.ResolveInDoubtAsync("spring", sendAgain: false, default));
        Assert.Equal(ShardStates.Sent, _ports.ShardRows[counted].State);
        Assert.All(_ports.ShardRows.StatesOf(counted), r => Assert.Equal((RecipientStates.Sent, CampaignSending.CountedAsSent), (r.State, r.Reason)));
        Assert.Equal(0, await _sending.ResolveInDoubtAsync("spring", sendAgain: false, default)); // nothing is counted twice
        Assert.Equal(ShardStates.InDoubt, _ports.ShardRows[other].State);
    }

    [Fact]
    public async Task Sending_again_what_was_in_doubt_queues_it_and_sends_it_once()
    {
        var shard = InterruptedShard("spring", Invitee("ann"), Invitee("ben"));
        _ports.Mail.Delivered = null;
        await _sending.SendAsync(shard, default);

        Assert.Equal(2, await _sending.ResolveInDoubtAsync("spring", sendAgain: true, default));
        Assert.Equal((shard, (TimeSpan?)null), _ports.ShardRows.Queued.Last());
        await _sending.SendAsync(shard, default);

        Assert.Equal(["ann@example.org", "ben@example.org"], _ports.Mail.AddressesSent.Order());
        Assert.Equal(ShardStates.Sent, _ports.ShardRows[shard].State);
    }

    [Fact]
    public async Task A_campaign_sends_one_shard_at_a_time_and_a_stopped_workers_slot_is_taken_over_once_its_lease_lapses()
    {
        var shard = _ports.Post("spring", _clock.GetUtcNow(), Invitee("ann"));
        _ports.SlotRows.HeldElsewhere("spring", aliveAt: _clock.GetUtcNow());

        await _sending.SendAsync(shard, default);

        Assert.Empty(_ports.Mail.Requests);
        Assert.Equal((shard, (TimeSpan?)CampaignSending.SlotWait), Assert.Single(_ports.ShardRows.Queued));

        _clock.Advance(Lease); // the other worker fell silent
        await _sending.SendAsync(shard, default);

        Assert.Equal(["ann@example.org"], _ports.Mail.AddressesSent);
    }

    [Fact]
    public async Task A_shard_another_worker_wrote_since_it_was_read_is_left_to_that_worker()
    {
        var shard = _ports.Post("spring", _clock.GetUtcNow(), Invitee("ann"));
        var sending = new CampaignSending(new WrittenBetweenReads(_ports.ShardRows), _ports.SlotRows, _people.People, _people.Suppressed, new Composer(),
            _ports.Mail, new SendingTimes(Lease, FirstRetry), _clock, NullLogger<CampaignSending>.Instance);

        await sending.SendAsync(shard, default);

        Assert.Empty(_ports.Mail.Requests);
        Assert.Equal(RecipientStates.Pending, Assert.Single(_ports.ShardRows.StatesOf(shard)).State);
    }

    [Fact]
    public async Task The_resume_timer_queues_shards_whose_message_or_worker_was_lost_and_leaves_the_rest()
    {
        var now = _clock.GetUtcNow();
        var lost = _ports.Post("a", now - Lease - TimeSpan.FromSeconds(1), Invitee("ann"));
        var waiting = _ports.Post("b", now, Invitee("ben"));
        var stopped = InterruptedShard("spring", Invitee("cal"));
        _ports.ShardRows.Put(_ports.ShardRows[stopped] with { CallingAt = now - Lease * 2 });
        var calling = _ports.Post("c", now, Invitee("dee"));
        _ports.ShardRows.Put(_ports.ShardRows[calling] with { State = ShardStates.Calling, CallingAt = now });
        _ports.ShardRows.Put(_ports.ShardRows[waiting] with { NextAttemptAt = now + TimeSpan.FromMinutes(5) });

        Assert.Equal(2, await _sending.ResumeAsync(default));

        Assert.Equal([lost, stopped], _ports.ShardRows.Queued.Select(q => q.Shard).OrderBy(s => s.CampaignId));
    }

    /// <summary>A shard left "calling" by a worker that stopped during its request.</summary>
    private ShardMessage InterruptedShard(string campaignId, params Invitee[] invitees)
    {
        var shard = _ports.Post(campaignId, _clock.GetUtcNow(), invitees);
        _ports.ShardRows.Put(_ports.ShardRows[shard] with { State = ShardStates.Calling, CallingAt = _clock.GetUtcNow(), Sending = invitees.Length });
        return shard;
    }

    /// <summary>Shards that another worker writes just after each read: every write over that read loses.</summary>
    private sealed class WrittenBetweenReads(Shards shards) : ICampaignShards
    {
        public async Task<CampaignShard?> GetShardAsync(ShardMessage shard, CancellationToken cancellationToken)
        {
            var read = await shards.GetShardAsync(shard, cancellationToken);
            shards.Put(read!);
            return read;
        }

        public Task<CampaignShard?> TryUpdateShardAsync(CampaignShard shard, CancellationToken cancellationToken) => shards.TryUpdateShardAsync(shard, cancellationToken);

        public Task<CampaignPost?> GetPostAsync(string campaignId, string postId, CancellationToken cancellationToken) => shards.GetPostAsync(campaignId, postId, cancellationToken);

        public Task<IReadOnlyList<Invitee>> PendingAsync(ShardMessage shard, CancellationToken cancellationToken) => shards.PendingAsync(shard, cancellationToken);

        public Task SettleAsync(ShardMessage shard, IEnumerable<string> keys, string state, string? reason, CancellationToken cancellationToken) =>
            shards.SettleAsync(shard, keys, state, reason, cancellationToken);

        public Task EnqueueAsync(ShardMessage shard, TimeSpan? delay, CancellationToken cancellationToken) => shards.EnqueueAsync(shard, delay, cancellationToken);

        public Task<IReadOnlyList<CampaignShard>> UnfinishedAsync(CancellationToken cancellationToken) => shards.UnfinishedAsync(cancellationToken);

        public Task<IReadOnlyList<CampaignShard>> InDoubtAsync(string campaignId, CancellationToken cancellationToken) => shards.InDoubtAsync(campaignId, cancellationToken);
    }
}
