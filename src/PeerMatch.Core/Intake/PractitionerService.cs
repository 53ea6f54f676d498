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
    /// An address gets at most one sign-up e-mail (confirmation or profile link) in this time: a
    /// double click, a reload or a repeated request sends no second one, and the first link still works.
    /// </summary>
    public static readonly TimeSpan LinkInterval = TimeSpan.FromMinutes(10);

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

        if (existing.Status == PractitionerStatus.PendingConfirmation)
        {
            // Nobody has proved they own the address yet: the latest intake wins.
            existing = existing with { Profile = profile, UpdatedAt = now };
            await practitioners.UpdateAsync(existing, cancellationToken);
        }
        await SendLinkAsync(existing, cancellationToken);
    }

    /// <summary>
    /// "Send me a new link": the way back in for an address that has a profile, and nothing for one
    /// that has none. The caller answers the same either way.
    /// </summary>
    public async Task RequestLinkAsync(string email, CancellationToken cancellationToken)
    {
        if (await practitioners.FindByEmailAsync(email, cancellationToken) is { } practitioner)
        {
            await SendLinkAsync(practitioner, cancellationToken);
        }
    }

    /// <summary>
    /// A confirmation to an address not yet confirmed, or unsubscribed since (confirming again lifts the
    /// unsubscribe: nothing else reaches such an address); otherwise the profile link. At most one per <see cref="LinkInterval"/>.
    /// </summary>
    private async Task SendLinkAsync(Practitioner practitioner, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (!await practitioners.TryClaimLinkAsync(practitioner.Id, now, LinkInterval, cancellationToken))
        {
            return;
        }
        var kind = practitioner.Status == PractitionerStatus.PendingConfirmation || await suppressions.IsSuppressedAsync(practitioner.Profile.Email, cancellationToken)
            ? EmailKind.Confirmation
            : EmailKind.ManageLink;
        try
        {
            await emails.EnqueueAsync(EmailJob.Fresh(kind, practitioner.Id), cancellationToken);
        }
        catch
        {
            // Not queued: the claim must not stop the next try for ten minutes.
            await practitioners.ReleaseLinkAsync(practitioner.Id, now, CancellationToken.None);
            throw;
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
        if (practitioner.Status == PractitionerStatus.Active && !wasSuppressed)
        {
            return ConfirmOutcome.AlreadyConfirmed;
        }

        // Confirmed now (or again, after an unsubscribe): a week already planned plans them within the hour.
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
