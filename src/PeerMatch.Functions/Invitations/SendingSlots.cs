using Azure;
using Azure.Data.Tables;
using PeerMatch.Functions.Storage;
using PeerMatch.Invitations;

namespace PeerMatch.Functions.Invitations;

/// <summary>The sending slots: in <c>Campaigns</c>, a row "sending" in each campaign's partition, held while a shard is sent.</summary>
public sealed class SendingSlots(StorageAccount storage) : ISendingSlots
{
    private const string SlotRow = "sending";

    public async Task<SendingSlot?> TryTakeSlotAsync(ShardMessage shard, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        var campaigns = await storage.TableAsync(CampaignTable.CampaignsName, cancellationToken);
        var held = await campaigns.GetEntityIfExistsAsync<TableEntity>(shard.CampaignId, SlotRow, cancellationToken: cancellationToken);
        if (held.HasValue && held.Value!.GetDateTimeOffset("AliveAt") is { } alive && now - alive < lease)
        {
            return null;
        }
        var slot = new TableEntity(shard.CampaignId, SlotRow) { ["Shard"] = shard.ShardId, ["TakenAt"] = now, ["AliveAt"] = now };
        // Of two workers taking it at once, one wins.
        var taken = held.HasValue
            ? await campaigns.TryUpdateAsync(slot, held.Value!.ETag, TableUpdateMode.Replace, cancellationToken)
            : await campaigns.TryAddAsync(slot, cancellationToken);
        return taken is { } etag ? new SendingSlot(shard.CampaignId, shard.ShardId, etag.ToString()) : null;
    }

    public async Task<SendingSlot?> RenewSlotAsync(SendingSlot slot, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var campaigns = await storage.TableAsync(CampaignTable.CampaignsName, cancellationToken);
        return await campaigns.TryUpdateAsync(new TableEntity(slot.CampaignId, SlotRow) { ["AliveAt"] = now }, new ETag(slot.Version), TableUpdateMode.Merge, cancellationToken) is { } etag
            ? slot with { Version = etag.ToString() }
            : null;
    }

    public async Task ReleaseSlotAsync(SendingSlot slot, CancellationToken cancellationToken)
    {
        var campaigns = await storage.TableAsync(CampaignTable.CampaignsName, cancellationToken);
        // Taken over meanwhile, it is someone else's now: nothing to free.
        await campaigns.TryDeleteAsync(slot.CampaignId, SlotRow, new ETag(slot.Version), cancellationToken);
    }
}
