using System.Collections.Concurrent;
using PeerMatch.Email;
using PeerMatch.Matching;
using PeerMatch.Practitioners;

namespace PeerMatch.Tests.Matching;

/// <summary>
/// The matching services' ports kept in memory, to test their rules without storage. The stores'
/// own behaviour on Azure Tables is tested against Azurite (MatchingFlowTests).
/// </summary>
internal sealed class InMemoryPorts
{
    public Practitioners People { get; } = new();

    public Suppressions Suppressed { get; } = new();

    public Suggestions SuggestionRows { get; } = new();

    public WeekPlans Plans { get; } = new();

    public Introductions IntroductionRows { get; } = new();

    public Runs RunRows { get; } = new();

    public Emails Outbox { get; } = new();

    public Rankers Models { get; } = new();

    public MatchRuns MatchRuns(TimeProvider clock) =>
        new(People, Suppressed, SuggestionRows, Plans, RunRows, Models, new Retraining(SuggestionRows, Models, [], clock), Outbox, new MatchingSettings(), clock);

    public SuggestionAnswers Answers(TimeProvider clock) => new(SuggestionRows, IntroductionRows, People, Outbox, clock);

    public sealed class Practitioners : IPractitionerRepository
    {
        private readonly ConcurrentDictionary<string, Practitioner> _rows = new();
        private readonly ConcurrentDictionary<(string, string), Profile> _submissions = new();

        public int FullReads { get; private set; }

        public void Add(Candidate person, DateTimeOffset now) =>
            _rows[person.Id] = new Practitioner(person.Id, person.Profile, PractitionerStatus.Active, now, now, now, null);

        public void Remove(string id) => _rows.TryRemove(id, out _);

        public Task<Practitioner?> GetAsync(string id, CancellationToken cancellationToken) => Task.FromResult(_rows.GetValueOrDefault(id));

        public Task<Practitioner?> FindByEmailAsync(string email, CancellationToken cancellationToken) =>
            Task.FromResult(_rows.Values.FirstOrDefault(p => p.Profile.Email == email));

        public Task<IReadOnlySet<string>> KnownEmailKeysAsync(IReadOnlyCollection<string> emailKeys, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlySet<string>>(_rows.Values.Select(p => EmailAddresses.Key(p.Profile.Email)).Intersect(emailKeys).ToHashSet());

        public Task<bool> TryCreateAsync(Practitioner practitioner, CancellationToken cancellationToken) => Task.FromResult(_rows.TryAdd(practitioner.Id, practitioner));

        public Task UpdateAsync(Practitioner practitioner, CancellationToken cancellationToken)
        {
            _rows[practitioner.Id] = practitioner;
            return Task.CompletedTask;
        }

        public Task EraseAsync(Practitioner practitioner, CancellationToken cancellationToken)
        {
            Remove(practitioner.Id);
            foreach (var key in _submissions.Keys.Where(k => k.Item1 == practitioner.Id))
            {
                _submissions.TryRemove(key, out _);
            }
            return Task.CompletedTask;
        }

        public Task AddSubmissionAsync(string practitionerId, string submissionId, Profile profile, CancellationToken cancellationToken)
        {
            _submissions[(practitionerId, submissionId)] = profile;
            return Task.CompletedTask;
        }

        public Task<Profile?> GetSubmissionAsync(string practitionerId, string submissionId, CancellationToken cancellationToken) =>
            Task.FromResult(_submissions.GetValueOrDefault((practitionerId, submissionId)));

        public Task<IReadOnlyList<Profile>> ListSubmissionsAsync(string practitionerId, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<Profile>>(_submissions.Where(s => s.Key.Item1 == practitionerId).Select(s => s.Value).ToList());

        public Task<bool> TryClaimLinkAsync(string practitionerId, DateTimeOffset now, TimeSpan interval, CancellationToken cancellationToken)
        {
            lock (_rows)
            {
                if (!_rows.TryGetValue(practitionerId, out var p) || p.LinkSentAt > now - interval)
                {
                    return Task.FromResult(false);
                }
                _rows[practitionerId] = p with { LinkSentAt = now };
                return Task.FromResult(true);
            }
        }

        public Task ReleaseLinkAsync(string practitionerId, DateTimeOffset claimedAt, CancellationToken cancellationToken)
        {
            lock (_rows)
            {
                if (_rows.TryGetValue(practitionerId, out var p) && p.LinkSentAt == claimedAt)
                {
                    _rows[practitionerId] = p with { LinkSentAt = null };
                }
            }
            return Task.CompletedTask;
        }

        public IAsyncEnumerable<Practitioner> ListAllAsync(CancellationToken cancellationToken)
        {
            FullReads++;
            return _rows.Values.ToAsyncEnumerable();
        }

        public IAsyncEnumerable<Practitioner> ListChangedSinceAsync(DateTimeOffset since, CancellationToken cancellationToken) =>
            _rows.Values.Where(p => p.Status == PractitionerStatus.Active && p.UpdatedAt >= since).ToList().ToAsyncEnumerable();

        public IAsyncEnumerable<Practitioner> ListUnconfirmedAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) =>
            AsyncEnumerable.Empty<Practitioner>();

        public Task MarkErasingAsync(string practitionerId, DateTimeOffset since, CancellationToken cancellationToken)
        {
            Remove(practitionerId); // reads as gone from now on
            return Task.CompletedTask;
        }

        public IAsyncEnumerable<Practitioner> ListErasingAsync(DateTimeOffset startedBefore, CancellationToken cancellationToken) =>
            AsyncEnumerable.Empty<Practitioner>();
    }

    public sealed class Suppressions : ISuppressionList
    {
        private readonly HashSet<string> _keys = [];

        public Task<bool> IsSuppressedAsync(string email, CancellationToken cancellationToken) => Task.FromResult(_keys.Contains(EmailAddresses.Key(email)));

        public Task SuppressAsync(string email, CancellationToken cancellationToken) => Task.FromResult(_keys.Add(EmailAddresses.Key(email)));

        public Task LiftAsync(string email, CancellationToken cancellationToken) => Task.FromResult(_keys.Remove(EmailAddresses.Key(email)));

        public Task<IReadOnlySet<string>> SuppressedKeysAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlySet<string>>(_keys.ToHashSet());
    }

    public sealed class Suggestions : ISuggestionStore
    {
        private readonly ConcurrentDictionary<(string, string), StoredSuggestion> _rows = new();

        public IReadOnlyCollection<StoredSuggestion> All => _rows.Values.ToList();

        public Task SaveAsync(IEnumerable<StoredSuggestion> suggestions, CancellationToken cancellationToken)
        {
            foreach (var s in suggestions)
            {
                _rows[(s.PractitionerId, s.Id)] = s;
            }
            return Task.CompletedTask;
        }

        public Task<StoredSuggestion?> GetAsync(string practitionerId, string id, CancellationToken cancellationToken) =>
            Task.FromResult(_rows.GetValueOrDefault((practitionerId, id)));

        public Task<List<StoredSuggestion>> ForWeekAsync(string practitionerId, string week, CancellationToken cancellationToken) =>
            Task.FromResult(_rows.Values.Where(s => s.PractitionerId == practitionerId && s.Week == week).ToList());

        public Task<RecordedOnce> TryRecordOnceAsync(StoredSuggestion suggestion, AnswerField field, string value, DateTimeOffset now, CancellationToken cancellationToken)
        {
            lock (_rows)
            {
                if (_rows.GetValueOrDefault((suggestion.PractitionerId, suggestion.Id)) is not { } row)
                {
                    return Task.FromResult(RecordedOnce.Gone);
                }
                if ((field == AnswerField.Answer ? row.Answer : row.Met) is not null)
                {
                    return Task.FromResult(RecordedOnce.AlreadyRecorded);
                }
                _rows[(row.PractitionerId, row.Id)] = field == AnswerField.Answer ? row with { Answer = value, AnsweredAt = now } : row with { Met = value };
                return Task.FromResult(RecordedOnce.Recorded);
            }
        }

        public IAsyncEnumerable<StoredSuggestion> AllAsync(CancellationToken cancellationToken) => All.ToAsyncEnumerable();
    }

    public sealed class WeekPlans : IWeekPlanStore
    {
        private readonly ConcurrentDictionary<(string Week, string Id), WeekPlanEntry> _entries = new();
        private readonly ConcurrentDictionary<(string, PlanningStep), string> _claims = new();
        private readonly ConcurrentDictionary<string, DateTimeOffset> _planned = new();

        public Task<bool> TryClaimAsync(string week, string runId, PlanningStep planning, CancellationToken cancellationToken) =>
            Task.FromResult(_claims.GetOrAdd((week, planning), runId) == runId);

        public Task ReleaseClaimAsync(string week, string runId, PlanningStep planning, CancellationToken cancellationToken)
        {
            _claims.TryRemove(new KeyValuePair<(string, PlanningStep), string>((week, planning), runId));
            return Task.CompletedTask;
        }

        public Task<DateTimeOffset?> PlannedAtAsync(string week, CancellationToken cancellationToken) =>
            Task.FromResult(_planned.TryGetValue(week, out var at) ? at : (DateTimeOffset?)null);

        public async Task SaveAsync(string week, string runId, DateTimeOffset readAt, IEnumerable<WeekPlanEntry> entries, CancellationToken cancellationToken)
        {
            await AddAsync(week, entries, cancellationToken);
            _planned[week] = readAt;
        }

        public Task AddAsync(string week, IEnumerable<WeekPlanEntry> entries, CancellationToken cancellationToken)
        {
            foreach (var entry in entries)
            {
                var queued = _entries.GetValueOrDefault((week, entry.PractitionerId))?.DigestQueuedAt;
                _entries[(week, entry.PractitionerId)] = entry with { DigestQueuedAt = queued ?? entry.DigestQueuedAt };
            }
            return Task.CompletedTask;
        }

        public IAsyncEnumerable<WeekPlanEntry> EntriesAsync(string week, CancellationToken cancellationToken) =>
            _entries.Where(e => e.Key.Week == week).Select(e => e.Value).ToList().ToAsyncEnumerable();

        public Task<WeekPlanEntry?> GetAsync(string week, string practitionerId, CancellationToken cancellationToken) =>
            Task.FromResult(_entries.GetValueOrDefault((week, practitionerId)));

        public Task<bool> MarkDigestQueuedAsync(string week, string practitionerId, DateTimeOffset at, CancellationToken cancellationToken)
        {
            var entry = _entries[(week, practitionerId)];
            return Task.FromResult(entry.DigestQueuedAt is null
                && _entries.TryUpdate((week, practitionerId), entry with { DigestQueuedAt = at }, entry));
        }
    }

    public sealed class Introductions : IIntroductionStore
    {
        private readonly ConcurrentDictionary<string, (Introduction Introduction, bool FollowedUp)> _rows = new();

        public int Count => _rows.Count;

        public Task<bool> TryRecordAsync(StoredSuggestion one, StoredSuggestion other, DateTimeOffset at, CancellationToken cancellationToken)
        {
            var (low, high) = string.CompareOrdinal(one.PractitionerId, other.PractitionerId) < 0 ? (one, other) : (other, one);
            var introduction = new Introduction((low.PractitionerId, low.Id), (high.PractitionerId, high.Id), at);
            return Task.FromResult(_rows.TryAdd(introduction.Pair, (introduction, false)));
        }

        public Task<List<Introduction>> AwaitingFollowUpAsync(DateTimeOffset introducedBy, CancellationToken cancellationToken) =>
            Task.FromResult(_rows.Values.Where(r => !r.FollowedUp && r.Introduction.IntroducedAt <= introducedBy).Select(r => r.Introduction).ToList());

        public Task MarkFollowUpQueuedAsync(Introduction introduction, DateTimeOffset at, CancellationToken cancellationToken)
        {
            _rows[introduction.Pair] = (introduction, true);
            return Task.CompletedTask;
        }

        public Task EraseAsync(string practitionerId, CancellationToken cancellationToken)
        {
            foreach (var pair in _rows.Keys.Where(p => p.Split('-').Contains(practitionerId)))
            {
                _rows.TryRemove(pair, out _);
            }
            return Task.CompletedTask;
        }
    }

    public sealed class Runs : IMatchRunStore
    {
        public ConcurrentDictionary<string, MatchRunStatus> Rows { get; } = new();

        public ConcurrentQueue<MatchRunRequest> Queued { get; } = new();

        public Task CreateAsync(MatchRunRequest request, CancellationToken cancellationToken)
        {
            Rows[request.RunId] = new MatchRunStatus(request.RunId, "running", request.DryRun, request.Force, null, 0, 0, 0, null);
            return Task.CompletedTask;
        }

        public Task EnqueueAsync(MatchRunRequest request, CancellationToken cancellationToken)
        {
            Queued.Enqueue(request);
            return Task.CompletedTask;
        }

        public Task CompleteAsync(string runId, MatchRunOutcome outcome, IReadOnlyList<PreviewSuggestion>? preview, CancellationToken cancellationToken)
        {
            Rows[runId] = Rows[runId] with
            {
                Status = "completed", Week = outcome.Week, Practitioners = outcome.Practitioners, Suggestions = outcome.Suggestions,
                EmailsSent = outcome.DigestsQueued, NewlyPlanned = outcome.NewlyPlanned, Preview = preview,
            };
            return Task.CompletedTask;
        }

        public Task FailAsync(string runId, string reason, CancellationToken cancellationToken)
        {
            Rows[runId] = Rows[runId] with { Status = "failed", Error = reason };
            return Task.CompletedTask;
        }

        public Task<MatchRunStatus?> GetAsync(string runId, int page, CancellationToken cancellationToken) => Task.FromResult(Rows.GetValueOrDefault(runId));
    }

    public sealed class Emails : IEmailScheduler
    {
        public ConcurrentQueue<EmailJob> Jobs { get; } = new();

        /// <summary>How many enqueues fail before they work (a queue outage).</summary>
        public int FailNext { get; set; }

        public Task EnqueueAsync(EmailJob job, CancellationToken cancellationToken)
        {
            if (FailNext > 0)
            {
                FailNext--;
                throw new InvalidOperationException("The queue is unreachable.");
            }
            Jobs.Enqueue(job);
            return Task.CompletedTask;
        }
    }

    public sealed class Rankers : IRankerStore
    {
        public IPairScorer Current { get; private set; } = PriorScorer.Instance;

        public Task<IPairScorer> CurrentAsync(CancellationToken cancellationToken) => Task.FromResult(Current);

        public Task PromoteAsync(LearnedRanker ranker, CancellationToken cancellationToken)
        {
            Current = ranker;
            return Task.CompletedTask;
        }
    }
}
