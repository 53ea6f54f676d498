using Azure;
using Azure.Data.Tables;
using PeerMatch.Functions.Storage;
using PeerMatch.Intake;

namespace PeerMatch.Functions.Email;

/// <summary>
/// <c>Deliveries</c>: PK = practitioner id, RK = e-mail job id. What was sent (or is being sent), so a
/// job seen twice sends once.
/// </summary>
public sealed class DeliveryTable(StorageAccount storage, TimeProvider clock) : IPersonalDataStore
{
    public const string Name = "Deliveries";

    /// <summary>
    /// Claims a job id for this queue message before sending. Another message with the same job id (a
    /// run that enqueued twice) finds the claim and sends nothing; a retry of this same message (the
    /// last attempt failed before it could record the send) may send again.
    /// </summary>
    public async Task<bool> TryClaimAsync(string practitionerId, string jobId, string messageId, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(Name, cancellationToken);
        try
        {
            await table.AddEntityAsync(new TableEntity(practitionerId, jobId)
            {
                ["State"] = "sending", ["ClaimedBy"] = messageId, ["ClaimedAt"] = clock.GetUtcNow(),
            }, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            var existing = await table.GetEntityAsync<TableEntity>(practitionerId, jobId, cancellationToken: cancellationToken);
            return existing.Value.GetString("State") == "sending" && existing.Value.GetString("ClaimedBy") == messageId;
        }
    }

    public async Task MarkSentAsync(string practitionerId, string jobId, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(Name, cancellationToken);
        await table.UpdateEntityAsync(new TableEntity(practitionerId, jobId) { ["State"] = "sent", ["SentAt"] = clock.GetUtcNow() },
            ETag.All, TableUpdateMode.Merge, cancellationToken);
    }

    public async Task<IReadOnlyList<PersonalRecords>> ExportAsync(string practitionerId, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(Name, cancellationToken);
        return [await table.ExportWhereAsync("emails", TableClient.CreateQueryFilter($"PartitionKey eq {practitionerId}"), cancellationToken)];
    }

    public async Task EraseAsync(string practitionerId, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(Name, cancellationToken);
        await table.DeletePartitionAsync(practitionerId, cancellationToken);
    }
}
