namespace PeerMatch.Practitioners;

/// <summary>Where practitioners are kept. Implemented on Azure Tables at the edge.</summary>
public interface IPractitionerRepository
{
    Task<Practitioner?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Looks an address up by its normalized form, without scanning.</summary>
    Task<Practitioner?> FindByEmailAsync(string email, CancellationToken cancellationToken);

    /// <summary>The keys, among <paramref name="emailKeys"/> (<see cref="EmailAddresses.Key"/>), of addresses that have a profile, confirmed or not.</summary>
    Task<IReadOnlySet<string>> KnownEmailKeysAsync(IReadOnlyCollection<string> emailKeys, CancellationToken cancellationToken);

    /// <summary>Stores a new practitioner; false when the address already belongs to someone (a concurrent intake).</summary>
    Task<bool> TryCreateAsync(Practitioner practitioner, CancellationToken cancellationToken);

    Task UpdateAsync(Practitioner practitioner, CancellationToken cancellationToken);

    /// <summary>
    /// Claims the sending of a sign-up e-mail (confirmation or profile link) at <paramref name="now"/>, unless one
    /// was sent less than <paramref name="interval"/> ago; of two requests at once, one wins. Nothing else of the row changes.
    /// </summary>
    Task<bool> TryClaimLinkAsync(string practitionerId, DateTimeOffset now, TimeSpan interval, CancellationToken cancellationToken);

    /// <summary>
    /// Keeps a sign-up for an address whose profile is not confirmed yet (or unsubscribed), beside it rather than over
    /// it: the profile that becomes active is the one whose confirmation link is followed.
    /// </summary>
    Task AddSubmissionAsync(string practitionerId, string submissionId, Profile profile, CancellationToken cancellationToken);

    Task<Profile?> GetSubmissionAsync(string practitionerId, string submissionId, CancellationToken cancellationToken);

    /// <summary>The later sign-ups kept beside the profile, not (yet) confirmed.</summary>
    Task<IReadOnlyList<Profile>> ListSubmissionsAsync(string practitionerId, CancellationToken cancellationToken);

    /// <summary>Gives up a claim made at <paramref name="claimedAt"/> whose e-mail could not be queued, so the next request may send.</summary>
    Task ReleaseLinkAsync(string practitionerId, DateTimeOffset claimedAt, CancellationToken cancellationToken);

    /// <summary>Removes the practitioner and every row that names them.</summary>
    Task EraseAsync(Practitioner practitioner, CancellationToken cancellationToken);

    /// <summary>
    /// Marks the practitioner as being erased: from now on they read as gone (to links, runs, and every write that looks
    /// again after writing), while their records are erased. The mark goes first, so that a write racing the erase
    /// either lands before the erase sweeps its store, or sees the mark and takes back what it wrote.
    /// </summary>
    Task MarkErasingAsync(string practitionerId, DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>Practitioners whose erase began before <paramref name="startedBefore"/> and was cut short.</summary>
    IAsyncEnumerable<Practitioner> ListErasingAsync(DateTimeOffset startedBefore, CancellationToken cancellationToken);

    /// <summary>Every practitioner, for the weekly run.</summary>
    IAsyncEnumerable<Practitioner> ListAllAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Confirmed practitioners whose profile changed at or after <paramref name="since"/>: confirmed, confirmed
    /// again after an unsubscribe, or edited (a pause cleared). Among them are a planned week's late joiners.
    /// </summary>
    IAsyncEnumerable<Practitioner> ListChangedSinceAsync(DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>
    /// Practitioners who never confirmed, who signed up before <paramref name="cutoff"/> and were sent no link since
    /// (a link sent later, "send me a new link" or a repeated sign-up, is still good).
    /// </summary>
    IAsyncEnumerable<Practitioner> ListUnconfirmedAsync(DateTimeOffset cutoff, CancellationToken cancellationToken);
}

/// <summary>Addresses that asked for no more e-mail (RFC 8058 one-click or the unsubscribe page).</summary>
public interface ISuppressionList
{
    Task<bool> IsSuppressedAsync(string email, CancellationToken cancellationToken);

    Task SuppressAsync(string email, CancellationToken cancellationToken);

    Task LiftAsync(string email, CancellationToken cancellationToken);

    /// <summary>The <see cref="EmailAddresses.Key"/> of every suppressed address, for runs that check many at once.</summary>
    Task<IReadOnlySet<string>> SuppressedKeysAsync(CancellationToken cancellationToken);
}

/// <summary>
/// A store that keeps something naming a practitioner: the "all my data" export shows it, and erasing a
/// profile erases it there too.
/// </summary>
public interface IPersonalDataStore
{
    /// <summary>What this store keeps about the practitioner, one list of records per kind of thing.</summary>
    Task<IReadOnlyList<PersonalRecords>> ExportAsync(string practitionerId, CancellationToken cancellationToken);

    Task EraseAsync(string practitionerId, CancellationToken cancellationToken);
}

/// <summary>Records of one kind kept about a person (their suggestions, say), each as its stored fields.</summary>
public sealed record PersonalRecords(string Kind, IReadOnlyList<IReadOnlyDictionary<string, string?>> Records);
