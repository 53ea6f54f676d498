using System.Globalization;
using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using PeerMatch.Functions.Storage;
using PeerMatch.Practitioners;

namespace PeerMatch.Functions.Intake;

/// <summary>
/// Practitioners on Azure Tables:
/// <c>Practitioners</c> (PK = practitioner id, RK = "profile": point reads by id; the weekly run reads them all;
/// RK = "submission-{id}": a later sign-up for an address not yet confirmed, kept until one is confirmed) and
/// <c>EmailIndex</c> (PK = <see cref="EmailAddresses.Key"/> of the address, RK = "": a profile by address without a scan,
/// and the insert that decides a race between two intakes).
/// </summary>
public sealed class PractitionerTable(StorageAccount storage) : IPractitionerRepository
{
    public const string Practitioners = "Practitioners";
    public const string EmailIndex = "EmailIndex";
    private const string ProfileRow = "profile";
    private const string SubmissionPrefix = "submission-";

    /// <summary>Profiles only, not the sign-ups kept beside them.</summary>
    private static readonly string ProfilesOnly = TableClient.CreateQueryFilter($"RowKey eq {ProfileRow}");

    public async Task<Practitioner?> GetAsync(string id, CancellationToken cancellationToken)
    {
        if (!IsId(id))
        {
            return null;
        }
        var table = await storage.TableAsync(Practitioners, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(id, ProfileRow, cancellationToken: cancellationToken);
        return row.HasValue && !IsErasing(row.Value!) ? FromEntity(row.Value!) : null;
    }

    /// <summary>On a profile row: when its erase began (<see cref="MarkErasingAsync"/>). Such a profile reads as gone.</summary>
    private const string ErasingSince = "ErasingSince";

    private static bool IsErasing(TableEntity row) => row.ContainsKey(ErasingSince);

    public async Task MarkErasingAsync(string practitionerId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(Practitioners, cancellationToken);
        // Gone already: a repeated erase.
        await table.TryUpdateAsync(new TableEntity(practitionerId, ProfileRow) { [ErasingSince] = since }, ETag.All, TableUpdateMode.Merge, cancellationToken);
    }

    public async IAsyncEnumerable<Practitioner> ListErasingAsync(DateTimeOffset startedBefore, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(Practitioners, cancellationToken);
        var filter = ProfilesOnly + " and " + TableClient.CreateQueryFilter($"ErasingSince lt {startedBefore}");
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            yield return FromEntity(row);
        }
    }

    public async Task<Practitioner?> FindByEmailAsync(string email, CancellationToken cancellationToken)
    {
        var index = await storage.TableAsync(EmailIndex, cancellationToken);
        var pointer = await index.GetEntityIfExistsAsync<TableEntity>(EmailAddresses.Key(email), "", cancellationToken: cancellationToken);
        return pointer.HasValue ? await GetAsync(pointer.Value!.GetString("PractitionerId"), cancellationToken) : null;
    }

    /// <summary>Point reads of the index, 16 at a time: an organizer's list is checked without reading every profile.</summary>
    public async Task<IReadOnlySet<string>> KnownEmailKeysAsync(IReadOnlyCollection<string> emailKeys, CancellationToken cancellationToken)
    {
        var index = await storage.TableAsync(EmailIndex, cancellationToken);
        var known = new HashSet<string>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(emailKeys, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (key, ct) =>
        {
            var pointer = await index.GetEntityIfExistsAsync<TableEntity>(key, "", ["PartitionKey"], ct);
            if (pointer.HasValue)
            {
                lock (known)
                {
                    known.Add(key);
                }
            }
        });
        return known;
    }

    public async Task<bool> TryCreateAsync(Practitioner practitioner, CancellationToken cancellationToken)
    {
        // The profile goes first, the index row second: whoever inserts the index row wins a race
        // between two intakes, and the winner's profile is already there for the loser to find.
        var table = await storage.TableAsync(Practitioners, cancellationToken);
        // The id is new: a row there already is this very insert, retried by the client after a slow answer.
        await table.TryAddAsync(ToEntity(practitioner), cancellationToken);

        var index = await storage.TableAsync(EmailIndex, cancellationToken);
        var pointer = new TableEntity(EmailAddresses.Key(practitioner.Profile.Email), "") { ["PractitionerId"] = practitioner.Id };
        if (await index.TryAddAsync(pointer, cancellationToken) is not null)
        {
            return true;
        }
        var existing = await index.GetEntityAsync<TableEntity>(pointer.PartitionKey, "", cancellationToken: cancellationToken);
        if (existing.Value.GetString("PractitionerId") == practitioner.Id)
        {
            return true; // this insert, retried after a slow answer: the address is ours
        }
        // A pointer to nobody (an erase cut short between its two deletes) is taken over, unless someone else did first.
        if (await GetAsync(existing.Value.GetString("PractitionerId"), cancellationToken) is null
            && await index.TryUpdateAsync(pointer, existing.Value.ETag, TableUpdateMode.Replace, cancellationToken) is not null)
        {
            return true;
        }
        await table.DeleteEntityAsync(practitioner.Id, ProfileRow, ETag.All, cancellationToken);
        return false;
    }

    public async Task UpdateAsync(Practitioner practitioner, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(Practitioners, cancellationToken);
        await table.UpdateEntityAsync(ToEntity(practitioner), ETag.All, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<bool> TryClaimLinkAsync(string practitionerId, DateTimeOffset now, TimeSpan interval, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(Practitioners, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(practitionerId, ProfileRow, ["LinkSentAt"], cancellationToken);
        if (!row.HasValue || row.Value!.GetDateTimeOffset("LinkSentAt") > now - interval)
        {
            return false;
        }
        // Only this column, and only if nobody claimed since the read.
        return await table.TryUpdateAsync(new TableEntity(practitionerId, ProfileRow) { ["LinkSentAt"] = now }, row.Value.ETag, TableUpdateMode.Merge, cancellationToken) is not null;
    }

    public async Task ReleaseLinkAsync(string practitionerId, DateTimeOffset claimedAt, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(Practitioners, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(practitionerId, ProfileRow, ["LinkSentAt"], cancellationToken);
        if (row.HasValue && row.Value!.GetDateTimeOffset("LinkSentAt") == claimedAt)
        {
            // A merge leaves out null values, so "never" is written as the epoch. Erased, or claimed again meanwhile: nothing to give up.
            await table.TryUpdateAsync(new TableEntity(practitionerId, ProfileRow) { ["LinkSentAt"] = DateTimeOffset.UnixEpoch }, row.Value.ETag, TableUpdateMode.Merge, cancellationToken);
        }
    }

    public async Task EraseAsync(Practitioner practitioner, CancellationToken cancellationToken)
    {
        // The profile goes last, so an erase cut short can be repeated with the same link.
        var index = await storage.TableAsync(EmailIndex, cancellationToken);
        var key = EmailAddresses.Key(practitioner.Profile.Email);
        var pointer = await index.GetEntityIfExistsAsync<TableEntity>(key, "", cancellationToken: cancellationToken);
        if (pointer.HasValue && pointer.Value!.GetString("PractitionerId") == practitioner.Id)
        {
            await index.DeleteEntityAsync(key, "", pointer.Value.ETag, cancellationToken);
        }

        // The profile and the sign-ups kept beside it.
        var table = await storage.TableAsync(Practitioners, cancellationToken);
        await table.DeletePartitionAsync(practitioner.Id, cancellationToken);
    }

    public async IAsyncEnumerable<Practitioner> ListUnconfirmedAsync(DateTimeOffset cutoff, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(Practitioners, cancellationToken);
        var filter = ProfilesOnly + " and " + TableClient.CreateQueryFilter(
            $"Status eq {nameof(PractitionerStatus.PendingConfirmation)} and CreatedAt lt {cutoff} and not (LinkSentAt ge {cutoff})");
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (!IsErasing(row))
            {
                yield return FromEntity(row);
            }
        }
    }

    public async IAsyncEnumerable<Practitioner> ListChangedSinceAsync(DateTimeOffset since, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Filtered by the service, not read row by row here: it returns the few who changed.
        var table = await storage.TableAsync(Practitioners, cancellationToken);
        var filter = ProfilesOnly + " and " + TableClient.CreateQueryFilter($"Status eq {nameof(PractitionerStatus.Active)} and UpdatedAt ge {since}");
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (!IsErasing(row))
            {
                yield return FromEntity(row);
            }
        }
    }

    public async IAsyncEnumerable<Practitioner> ListAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(Practitioners, cancellationToken);
        await foreach (var row in table.QueryAsync<TableEntity>(ProfilesOnly, cancellationToken: cancellationToken))
        {
            if (!IsErasing(row))
            {
                yield return FromEntity(row);
            }
        }
    }

    public async Task AddSubmissionAsync(string practitionerId, string submissionId, Profile profile, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(Practitioners, cancellationToken);
        var row = ToEntity(new Practitioner(practitionerId, profile, PractitionerStatus.PendingConfirmation, default, default, null, null));
        row.RowKey = SubmissionPrefix + submissionId;
        await table.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<Profile?> GetSubmissionAsync(string practitionerId, string submissionId, CancellationToken cancellationToken)
    {
        if (!IsId(practitionerId) || !IsId(submissionId))
        {
            return null;
        }
        var table = await storage.TableAsync(Practitioners, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(practitionerId, SubmissionPrefix + submissionId, cancellationToken: cancellationToken);
        return row.HasValue ? FromEntity(row.Value!).Profile : null;
    }

    public async Task<IReadOnlyList<Profile>> ListSubmissionsAsync(string practitionerId, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(Practitioners, cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {practitionerId} and RowKey gt {SubmissionPrefix} and RowKey lt {SubmissionPrefix + "~"}");
        var submissions = new List<Profile>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            submissions.Add(FromEntity(row).Profile);
        }
        return submissions;
    }

    private static bool IsId(string id) => id.Length is > 0 and <= 64 && id.All(char.IsAsciiLetterOrDigit);

    private static TableEntity ToEntity(Practitioner p) => new(p.Id, ProfileRow)
    {
        ["Name"] = p.Profile.Name,
        ["Email"] = p.Profile.Email,
        ["Models"] = Join(p.Profile.Models),
        ["Country"] = p.Profile.Region.Country,
        ["Subdivision"] = p.Profile.Region.Subdivision,
        ["City"] = p.Profile.Region.City,
        ["TimeZone"] = p.Profile.Region.TimeZone,
        ["YearsExperience"] = p.Profile.YearsExperience,
        ["PracticeAreas"] = Join(p.Profile.PracticeAreas),
        ["Languages"] = Join(p.Profile.Languages),
        ["Meeting"] = p.Profile.Meeting,
        ["Seeking"] = Join(p.Profile.Seeking),
        ["WillingToConvene"] = p.Profile.WillingToConvene,
        ["Bio"] = p.Profile.Bio,
        ["Status"] = p.Status.ToString(),
        ["CreatedAt"] = p.CreatedAt,
        ["UpdatedAt"] = p.UpdatedAt,
        ["ConfirmedAt"] = p.ConfirmedAt,
        ["PausedUntil"] = p.PausedUntil?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["LinkSentAt"] = p.LinkSentAt,
    };

    private static Practitioner FromEntity(TableEntity e) => new(
        e.PartitionKey,
        new Profile(
            e.GetString("Name"),
            e.GetString("Email"),
            Split(e.GetString("Models")),
            new Region(e.GetString("Country"), e.GetString("Subdivision"), e.GetString("City"), e.GetString("TimeZone")),
            e.GetInt32("YearsExperience") ?? 0,
            Split(e.GetString("PracticeAreas")),
            Split(e.GetString("Languages")),
            e.GetString("Meeting"),
            Split(e.GetString("Seeking")),
            e.GetBoolean("WillingToConvene") ?? false,
            e.GetString("Bio")),
        Enum.Parse<PractitionerStatus>(e.GetString("Status")),
        e.GetDateTimeOffset("CreatedAt") ?? default,
        e.GetDateTimeOffset("UpdatedAt") ?? default,
        e.GetDateTimeOffset("ConfirmedAt"),
        e.GetString("PausedUntil") is { } paused ? DateOnly.ParseExact(paused, "yyyy-MM-dd", CultureInfo.InvariantCulture) : null,
        e.GetDateTimeOffset("LinkSentAt"));

    private static string Join(IReadOnlyList<string> values) => string.Join(',', values);

    private static string[] Split(string? value) => string.IsNullOrEmpty(value) ? [] : value.Split(',');
}
