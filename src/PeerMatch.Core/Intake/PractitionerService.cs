using PeerMatch.Email;

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
    /// <summary>How long an unconfirmed sign-up is kept: as long as its confirmation link works.</summary>
    public static readonly TimeSpan UnconfirmedRetention = Links.LinkToken.ConfirmLifetime;

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
                await emails.EnqueueAsync(EmailJob.Fresh(EmailKind.Confirmation, created.Id), cancellationToken);
                return;
            }
            // Another intake for the same address won the race: treat this one as a repeat.
            existing = await practitioners.FindByEmailAsync(profile.Email, cancellationToken)
                ?? throw new InvalidOperationException("An address was reported taken but cannot be found.");
        }

        if (existing.Status == PractitionerStatus.PendingConfirmation)
        {
            // Nobody has proved they own the address yet: the latest intake wins, and the link goes out again.
            await practitioners.UpdateAsync(existing with { Profile = profile, UpdatedAt = now }, cancellationToken);
            await emails.EnqueueAsync(EmailJob.Fresh(EmailKind.Confirmation, existing.Id), cancellationToken);
        }
        else if (await suppressions.IsSuppressedAsync(existing.Profile.Email, cancellationToken))
        {
            // An unsubscribed address only ever gets a confirmation for an explicit new intake;
            // confirming it again lifts the suppression.
            await emails.EnqueueAsync(EmailJob.Fresh(EmailKind.Confirmation, existing.Id), cancellationToken);
        }
        else
        {
            await emails.EnqueueAsync(EmailJob.Fresh(EmailKind.ManageLink, existing.Id), cancellationToken);
        }
    }

    public async Task<ConfirmOutcome> ConfirmAsync(string practitionerId, CancellationToken cancellationToken)
    {
        var practitioner = await practitioners.GetAsync(practitionerId, cancellationToken);
        if (practitioner is null)
        {
            return ConfirmOutcome.NotFound;
        }

        var wasSuppressed = await suppressions.IsSuppressedAsync(practitioner.Profile.Email, cancellationToken);
        if (wasSuppressed)
        {
            await suppressions.LiftAsync(practitioner.Profile.Email, cancellationToken);
        }
        if (practitioner.Status == PractitionerStatus.Active)
        {
            return wasSuppressed ? ConfirmOutcome.Confirmed : ConfirmOutcome.AlreadyConfirmed;
        }

        var now = clock.GetUtcNow();
        await practitioners.UpdateAsync(practitioner with { Status = PractitionerStatus.Active, ConfirmedAt = now, UpdatedAt = now }, cancellationToken);
        return ConfirmOutcome.Confirmed;
    }

    /// <summary>Replaces the profile; the address itself cannot change here (it is what proves who you are).</summary>
    public async Task<Practitioner> UpdateAsync(Practitioner practitioner, Profile profile, DateOnly? pausedUntil, CancellationToken cancellationToken)
    {
        var updated = practitioner with { Profile = profile, PausedUntil = pausedUntil, UpdatedAt = clock.GetUtcNow() };
        await practitioners.UpdateAsync(updated, cancellationToken);
        return updated;
    }

    /// <summary>Erases everything that names the practitioner, the profile itself last (so a cut-short erase can be repeated).</summary>
    public async Task EraseAsync(Practitioner practitioner, CancellationToken cancellationToken)
    {
        foreach (var store in personalData)
        {
            await store.EraseAsync(practitioner.Id, cancellationToken);
        }
        await practitioners.EraseAsync(practitioner, cancellationToken);
    }

    /// <summary>Forgets sign-ups whose confirmation link has expired unused.</summary>
    public async Task<int> PurgeUnconfirmedAsync(CancellationToken cancellationToken)
    {
        var purged = 0;
        var cutoff = clock.GetUtcNow() - UnconfirmedRetention;
        await foreach (var stale in practitioners.ListUnconfirmedAsync(cutoff, cancellationToken))
        {
            await EraseAsync(stale, cancellationToken);
            purged++;
        }
        return purged;
    }
}
