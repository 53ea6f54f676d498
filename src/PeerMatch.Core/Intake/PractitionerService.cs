using PeerMatch.Email;
using PeerMatch.Practitioners;

namespace PeerMatch.Intake;

public enum ConfirmOutcome { NotFound, Confirmed, AlreadyConfirmed }

/// <summary>The life of a profile: intake with double opt-in, confirmation, update, erasure.</summary>
public sealed class PractitionerService(
    IPractitionerRepository practitioners,
    ISuppressionList suppressions,
    IEmailScheduler emails,
    IEnumerable<IPersonalDataStore> personalData,
    TimeProvider clock)
{
    /// <summary>
    /// How long an unconfirmed sign-up is kept after its last link was asked for: as long as that link works, which
    /// counts from when the e-mail was written, and an e-mail service outage may delay that by up to two days.
    /// </summary>
    public static readonly TimeSpan UnconfirmedRetention = IntakeTokens.Confirm.Lifetime + Email.EmailRetries.GiveUpAfter;

    /// <summary>
    /// An address gets at most one sign-up e-mail (confirmation or profile link) in this time: a
    /// double click, a reload or a repeated request sends no second one, and the first link still works.
    /// </summary>
    public static readonly TimeSpan LinkInterval = TimeSpan.FromMinutes(10);

    /// <summary>An unsubscribed address gets at most one confirmation a day, whoever asks for it.</summary>
    public static readonly TimeSpan UnsubscribedLinkInterval = TimeSpan.FromDays(1);

    /// <summary>
    /// Registers an intake. The caller answers the same way whatever happens here, so that the
    /// response never tells whether an address is known.
    /// </summary>
    public async Task SubmitAsync(Profile profile, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var existing = await practitioners.FindByEmailAsync(profile.Email, cancellationToken);
        if (existing is null)
        {
            var created = new Practitioner(Practitioner.NewId(), profile, PractitionerStatus.PendingConfirmation, now, now, null, null);
            if (await practitioners.TryCreateAsync(created, cancellationToken))
            {
                await SendLinkAsync(created, cancellationToken);
                return;
            }
            // Another intake for the same address won the race: treat this one as a repeat.
            existing = await practitioners.FindByEmailAsync(profile.Email, cancellationToken)
                ?? throw new InvalidOperationException("An address was reported taken but cannot be found.");
        }

        // Nobody has proved they own the address yet (or it unsubscribed): this sign-up is kept beside the
        // first, and the profile that becomes active is the one whose link is followed.
        await SendLinkAsync(existing, cancellationToken, submitted: profile);
    }

    /// <summary>
    /// "Send me a new link": the way back in for an address that has a profile, and nothing for one
    /// that has none, or that unsubscribed (only a new sign-up may write to it again). The caller answers
    /// the same either way.
    /// </summary>
    public async Task RequestLinkAsync(string email, CancellationToken cancellationToken)
    {
        if (await practitioners.FindByEmailAsync(email, cancellationToken) is { } practitioner
            && !await suppressions.IsSuppressedAsync(practitioner.Profile.Email, cancellationToken))
        {
            await SendLinkAsync(practitioner, cancellationToken);
        }
    }

    /// <summary>
    /// A confirmation to an address not yet confirmed, or unsubscribed since (confirming again lifts the
    /// unsubscribe: nothing else reaches such an address); otherwise the profile link. At most one per <see cref="LinkInterval"/>.
    /// </summary>
    private async Task SendLinkAsync(Practitioner practitioner, CancellationToken cancellationToken, Profile? submitted = null)
    {
        var now = clock.GetUtcNow();
        var suppressed = await suppressions.IsSuppressedAsync(practitioner.Profile.Email, cancellationToken);
        if (!await practitioners.TryClaimLinkAsync(practitioner.Id, now, suppressed ? UnsubscribedLinkInterval : LinkInterval, cancellationToken))
        {
            return;
        }
        var confirm = practitioner.Status == PractitionerStatus.PendingConfirmation || suppressed;
        var job = EmailJob.Fresh(confirm ? IntakeEmails.Confirmation : IntakeEmails.ManageLink, practitioner.Id);
        try
        {
            // The same details again (a double click, a resent form) are the first sign-up, not a second one:
            // its link confirms the profile as it stands, whichever of the two requests won the e-mail.
            if (confirm && submitted is not null && !submitted.HasSameDetails(practitioner.Profile))
            {
                var submissionId = Practitioner.NewId();
                await practitioners.AddSubmissionAsync(practitioner.Id, submissionId, submitted, cancellationToken);
                job = job with { Context = submissionId };
            }
            await emails.EnqueueAsync(job, cancellationToken);
        }
        catch
        {
            // Not queued: the claim must not stop the next try for ten minutes.
            await practitioners.ReleaseLinkAsync(practitioner.Id, now, CancellationToken.None);
            throw;
        }
    }

    /// <summary>
    /// Activates the profile behind a confirmation link: the first sign-up's, or (<paramref name="submissionId"/>)
    /// a later sign-up's for the same address. Only this (a POST of the link's button) lifts an unsubscribe.
    /// </summary>
    public async Task<ConfirmOutcome> ConfirmAsync(string practitionerId, string? submissionId, CancellationToken cancellationToken)
    {
        var practitioner = await practitioners.GetAsync(practitionerId, cancellationToken);
        var submitted = practitioner is null || submissionId is null ? null : await practitioners.GetSubmissionAsync(practitionerId, submissionId, cancellationToken);
        if (practitioner is null || (submissionId is not null && submitted is null))
        {
            return ConfirmOutcome.NotFound;
        }

        var wasSuppressed = await suppressions.IsSuppressedAsync(practitioner.Profile.Email, cancellationToken);
        if (wasSuppressed)
        {
            await suppressions.LiftAsync(practitioner.Profile.Email, cancellationToken);
        }
        if (practitioner.Status == PractitionerStatus.Active && !wasSuppressed && submitted is null)
        {
            return ConfirmOutcome.AlreadyConfirmed;
        }

        // Confirmed now (or again, after an unsubscribe): a week already planned plans them within the hour.
        var now = clock.GetUtcNow();
        var profile = submitted is null ? practitioner.Profile : submitted with { Email = practitioner.Profile.Email };
        await practitioners.UpdateAsync(practitioner with { Profile = profile, Status = PractitionerStatus.Active, ConfirmedAt = now, UpdatedAt = now }, cancellationToken);
        return ConfirmOutcome.Confirmed;
    }

    /// <summary>Replaces the profile; the address itself cannot change here (it is what proves who you are).</summary>
    public async Task<Practitioner> UpdateAsync(Practitioner practitioner, Profile profile, DateOnly? pausedUntil, CancellationToken cancellationToken)
    {
        var updated = practitioner with { Profile = profile, PausedUntil = pausedUntil, UpdatedAt = clock.GetUtcNow() };
        await practitioners.UpdateAsync(updated, cancellationToken);
        return updated;
    }

    /// <summary>Everything stored about the practitioner: the profile, later sign-ups, whether the address is unsubscribed, and every store's records.</summary>
    public async Task<PersonalData> ExportAsync(Practitioner practitioner, CancellationToken cancellationToken)
    {
        var records = new List<PersonalRecords>();
        foreach (var store in personalData)
        {
            records.AddRange(await store.ExportAsync(practitioner.Id, cancellationToken));
        }
        return new PersonalData(
            practitioner,
            await practitioners.ListSubmissionsAsync(practitioner.Id, cancellationToken),
            await suppressions.IsSuppressedAsync(practitioner.Profile.Email, cancellationToken),
            records);
    }

    /// <summary>
    /// Erases everything that names the practitioner: marked as being erased first (they read as gone from then on, and
    /// a write racing the erase takes itself back), the profile itself last (an erase cut short is finished by the
    /// nightly purge).
    /// </summary>
    public async Task EraseAsync(Practitioner practitioner, CancellationToken cancellationToken)
    {
        await practitioners.MarkErasingAsync(practitioner.Id, clock.GetUtcNow(), cancellationToken);
        foreach (var store in personalData)
        {
            await store.EraseAsync(practitioner.Id, cancellationToken);
        }
        await practitioners.EraseAsync(practitioner, cancellationToken);
    }

    /// <summary>An erase still marked this long after it began was cut short (a crash): the purge finishes it.</summary>
    public static readonly TimeSpan EraseCutShortAfter = TimeSpan.FromHours(1);

    /// <summary>Forgets sign-ups whose last confirmation link has expired unused, and finishes erases that were cut short.</summary>
    public async Task<int> PurgeUnconfirmedAsync(CancellationToken cancellationToken)
    {
        var purged = 0;
        await foreach (var cutShort in practitioners.ListErasingAsync(clock.GetUtcNow() - EraseCutShortAfter, cancellationToken))
        {
            await EraseAsync(cutShort, cancellationToken);
            purged++;
        }
        var cutoff = clock.GetUtcNow() - UnconfirmedRetention;
        await foreach (var stale in practitioners.ListUnconfirmedAsync(cutoff, cancellationToken))
        {
            await EraseAsync(stale, cancellationToken);
            purged++;
        }
        return purged;
    }
}

/// <summary>The "all my data" export: <see cref="PractitionerService.ExportAsync"/>.</summary>
public sealed record PersonalData(Practitioner Practitioner, IReadOnlyList<Profile> LaterSignUps, bool Unsubscribed, IReadOnlyList<PersonalRecords> Records);
