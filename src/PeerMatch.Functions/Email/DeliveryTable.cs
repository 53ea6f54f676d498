using Azure;
using Azure.Data.Tables;
using PeerMatch.Email;
using PeerMatch.Functions.Storage;
using PeerMatch.Practitioners;

namespace PeerMatch.Functions.Email;

/// <summary>
/// <c>Deliveries</c>: PK = practitioner id, RK = e-mail job id. What was sent, is being sent, waits to be tried again
/// or failed for good, so a job seen twice sends once and a failure is on record. Beside it, <c>EmailRetries</c> lists
/// the jobs waiting to be tried again (PK "waiting", RK = practitioner id | job id, with the job itself), so that one
/// whose queued retry was lost is found without reading every delivery ever made.
/// </summary>
public sealed class DeliveryTable(StorageAccount storage, TimeProvider clock) : IPersonalDataStore
{
    public const string Name = "Deliveries";
    public const string RetriesName = "EmailRetries";
    private const string Waiting = "waiting";

    /// <summary>
    /// Claims a job id for this queue message before sending. Another message with the same job id (a
    /// run that enqueued twice) finds the claim and sends nothing; a retry of this same message (the
    /// last attempt failed before it could record the send) may send again, and so may the message that
    /// tries a waiting job again.
    /// </summary>
    public async Task<bool> TryClaimAsync(string practitionerId, string jobId, string messageId, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(Name, cancellationToken);
        var claim = new TableEntity(practitionerId, jobId) { ["State"] = "sending", ["ClaimedBy"] = messageId, ["ClaimedAt"] = clock.GetUtcNow() };
        if (await table.TryAddAsync(claim, cancellationToken) is not null)
        {
            return true;
        }
        var existing = (await table.GetEntityAsync<TableEntity>(practitionerId, jobId, cancellationToken: cancellationToken)).Value;
        switch (existing.GetString("State"))
        {
            case "sending":
                return existing.GetString("ClaimedBy") == messageId;
            case Waiting:
                // A job waiting to be tried again (its failures kept): this message takes it, unless another claimed it first.
                existing["State"] = "sending";
                existing["ClaimedBy"] = messageId;
                existing["ClaimedAt"] = claim["ClaimedAt"];
                return await table.TryUpdateAsync(existing, existing.ETag, TableUpdateMode.Replace, cancellationToken) is not null;
            default:
                return false;
        }
    }

    public async Task MarkSentAsync(string practitionerId, string jobId, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(Name, cancellationToken);
        await table.UpdateEntityAsync(new TableEntity(practitionerId, jobId) { ["State"] = "sent", ["SentAt"] = clock.GetUtcNow(), ["NextAttemptAt"] = null },
            ETag.All, TableUpdateMode.Merge, cancellationToken);
    }

    /// <summary>
    /// Records a failed send of a claimed job. One that may pass (<see cref="EmailSendException.Transient"/>) waits to
    /// be tried again, each wait longer (<paramref name="firstDelay"/>, doubling to an hour, or the service's
    /// Retry-After), for up to <see cref="EmailRetries.GiveUpAfter"/>; the wait is returned. Any other, or one past that, is recorded
    /// as failed for good, and null is returned.
    /// </summary>
    public async Task<TimeSpan?> RecordFailureAsync(string practitionerId, EmailJob job, EmailSendException failure, TimeSpan firstDelay, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(Name, cancellationToken);
        var row = (await table.GetEntityAsync<TableEntity>(practitionerId, job.JobId, cancellationToken: cancellationToken)).Value;
        var now = clock.GetUtcNow();
        var attempts = (row.GetInt32("Attempts") ?? 0) + 1;
        var firstFailedAt = row.GetDateTimeOffset("FirstFailedAt") ?? now;
        TimeSpan? delay = failure.Transient && now - firstFailedAt < EmailRetries.GiveUpAfter ? failure.RetryDelay(attempts, firstDelay) : null;
        if (delay is { } wait)
        {
            // Listed before the delivery says "waiting": a crash in between leaves a listing the resume timer tidies away.
            var retries = await storage.TableAsync(RetriesName, cancellationToken);
            await retries.UpsertEntityAsync(new TableEntity(Waiting, RetryKey(practitionerId, job.JobId))
            {
                ["Job"] = QueuedEmailScheduler.Serialize(job), ["NextAttemptAt"] = now + wait,
            }, TableUpdateMode.Replace, cancellationToken);
        }
        row["State"] = delay is null ? "failed" : Waiting;
        row["Attempts"] = attempts;
        row["FirstFailedAt"] = firstFailedAt;
        row["NextAttemptAt"] = now + delay;
        row["Error"] = failure.Message;
        row["ClaimedBy"] = null;
        await table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
        return delay;
    }

    /// <summary>
    /// The jobs waiting to be tried again whose retry is overdue by <paramref name="grace"/> (its queued message was
    /// lost), each given another <paramref name="grace"/> before it counts as overdue again (a queue slow to reach it
    /// gets one more message, not one each time). Listings of jobs sent, failed for good, skipped or gone are removed
    /// on the way, and a job waiting past <see cref="EmailRetries.GiveUpAfter"/> (nobody could take it: its recipient unsubscribed
    /// meanwhile) is recorded as failed.
    /// </summary>
    public async Task<IReadOnlyList<EmailJob>> OverdueRetriesAsync(TimeSpan grace, CancellationToken cancellationToken)
    {
        var retries = await storage.TableAsync(RetriesName, cancellationToken);
        var deliveries = await storage.TableAsync(Name, cancellationToken);
        var overdue = new List<EmailJob>();
        var now = clock.GetUtcNow();
        await foreach (var listing in retries.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Waiting}"), cancellationToken: cancellationToken))
        {
            var job = QueuedEmailScheduler.Parse(listing.GetString("Job"));
            var found = job is null ? null : await deliveries.GetEntityIfExistsAsync<TableEntity>(job.PractitionerId, job.JobId, cancellationToken: cancellationToken);
            var row = found is { HasValue: true } ? found.Value : null;
            if (job is not null && row?.GetString("State") == "sending" && now - (row.GetDateTimeOffset("ClaimedAt") ?? now) < EmailRetries.GiveUpAfter)
            {
                continue; // being sent
            }
            if (job is not null && row?.GetString("State") == Waiting)
            {
                if (now - (row.GetDateTimeOffset("NextAttemptAt") ?? now) < grace)
                {
                    continue; // its retry is on its way
                }
                var givenUp = now - (row.GetDateTimeOffset("FirstFailedAt") ?? now) >= EmailRetries.GiveUpAfter + grace;
                row["State"] = givenUp ? "failed" : Waiting;
                row["NextAttemptAt"] = givenUp ? null : now;
                row["Error"] = givenUp ? $"{row.GetString("Error")} (not tried again: nobody could take it for two days)" : row.GetString("Error");
                if (await deliveries.TryUpdateAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken) is null)
                {
                    continue; // its retry came meanwhile (or the person erased their profile)
                }
                if (!givenUp)
                {
                    overdue.Add(job);
                    continue;
                }
            }
            await retries.DeleteEntityAsync(listing, ETag.All, cancellationToken);
        }
        return overdue;
    }

    /// <summary>
    /// A claimed-or-waiting job that will not be sent after all (its recipient unsubscribed, or its subject is gone):
    /// recorded as skipped, so that it is not tried again.
    /// </summary>
    public async Task SkipAsync(string practitionerId, string jobId, string why, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(Name, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(practitionerId, jobId, cancellationToken: cancellationToken);
        if (row.HasValue && row.Value!.GetString("State") is Waiting or "sending")
        {
            await table.UpdateEntityAsync(new TableEntity(practitionerId, jobId) { ["State"] = "skipped", ["NextAttemptAt"] = null, ["Error"] = why },
                row.Value.ETag, TableUpdateMode.Merge, cancellationToken);
        }
    }

    /// <summary>The e-mails sent to them (the retry listings below are not theirs to see: they only point at these).</summary>
    private static readonly PersonalRows[] Personal = [PersonalRows.InPartition(Name, "emails")];

    public Task<IReadOnlyList<PersonalRecords>> ExportAsync(string practitionerId, CancellationToken cancellationToken) =>
        storage.ExportAsync(Personal, practitionerId, cancellationToken);

    public async Task EraseAsync(string practitionerId, CancellationToken cancellationToken)
    {
        await storage.EraseAsync(Personal, practitionerId, cancellationToken);
        // Their own listings, and those of e-mails about them (news that names who joined or left): the listings
        // are few, those waiting on an outage.
        var retries = await storage.TableAsync(RetriesName, cancellationToken);
        await foreach (var listing in retries.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Waiting}"), cancellationToken: cancellationToken))
        {
            if (listing.RowKey.StartsWith(practitionerId + "|", StringComparison.Ordinal) || listing.GetString("Job")?.Contains(practitionerId, StringComparison.Ordinal) == true)
            {
                await retries.DeleteEntityAsync(listing, ETag.All, cancellationToken);
            }
        }
    }

    private static string RetryKey(string practitionerId, string jobId) => $"{practitionerId}|{jobId}";
}
