using Azure;
using Azure.Data.Tables;
using PeerMatch.Functions.Storage;

namespace PeerMatch.Functions.Invitations;

/// <summary>
/// A campaign's sending slot, held by the worker sending one of its shards: a campaign's shards are sent one at a
/// time, so a worker that stops mid-request leaves at most one shard in doubt.
/// </summary>
public sealed record SendingSlot(string CampaignId, string ShardId, ETag ETag);

/// <summary>The sending slots: in <c>Campaigns</c>, a row "sending" in each campaign's partition, held while a shard is sent.</summary>
public sealed class SendingSlots(StorageAccount storage)
{
    private const string SlotRow = "sending";

    /// <summary>
    /// Takes the campaign's sending slot for <paramref name="shard"/>: when nobody holds it, or its holder has shown no
    /// sign of life for <paramref name="lease"/> (a worker that stopped). Null when another worker holds it.
    /// </summary>
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
        return taken is { } etag ? new SendingSlot(shard.CampaignId, shard.ShardId, etag) : null;
    }

    /// <summary>A sign of life from the slot's holder; null when the slot is no longer its own (taken over).</summary>
    public async Task<SendingSlot?> RenewSlotAsync(SendingSlot slot, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var campaigns = await storage.TableAsync(CampaignTable.CampaignsName, cancellationToken);
        return await campaigns.TryUpdateAsync(new TableEntity(slot.CampaignId, SlotRow) { ["AliveAt"] = now }, slot.ETag, TableUpdateMode.Merge, cancellationToken) is { } etag
            ? slot with { ETag = etag }
            : null;
    }

    /// <summary>Frees the slot, if it is still the holder's.</summary>
    public async Task ReleaseSlotAsync(SendingSlot slot, CancellationToken cancellationToken)
    {
        var campaigns = await storage.TableAsync(CampaignTable.CampaignsName, cancellationToken);
        // Taken over meanwhile, it is someone else's now: nothing to free.
        await campaigns.TryDeleteAsync(slot.CampaignId, SlotRow, slot.ETag, cancellationToken);
    }
}
