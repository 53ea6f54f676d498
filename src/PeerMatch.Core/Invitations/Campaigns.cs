using System.Security.Cryptography;
using System.Text;
using PeerMatch.Intake;

namespace PeerMatch.Invitations;

/// <summary>
/// A request to invite a list: the campaign it belongs to (by its title), the organizer's message, who it is
/// from, and the rows. A campaign is known by its title: posting the same title again adds to the same campaign.
/// </summary>
public sealed record CampaignRequest(string Title, string Message, string Sender, IReadOnlyList<InvitationRow> Rows);

/// <summary>What became of a request: the SPEC's 202 answer.</summary>
public sealed record CampaignReceipt(string CampaignId, int Accepted, int Duplicates, int AlreadyMembers, int Suppressed, IReadOnlyList<InvalidRow> Invalid);

/// <summary>How far a campaign has got: each recipient recorded for sending is pending, sent, failed or skipped.</summary>
public sealed record CampaignProgress(string CampaignId, string Title, int Total, int Pending, int Sent, int Failed, int Skipped);

/// <summary>One request's part of a campaign: its message and sender, shared by the recipients it added.</summary>
public sealed record CampaignPost(string CampaignId, string PostId, string Title, string Message, string Sender, DateTimeOffset PostedAt);

/// <summary>
/// The campaign ledger: one record per campaign and address, inserted only if absent, so that whatever is
/// posted, retried or run twice, an address is invited once per campaign. Implemented on Table Storage.
/// </summary>
public interface ICampaignLedger
{
    /// <summary>
    /// Records the <paramref name="invitees"/> not yet in the campaign under <paramref name="post"/>, in shards of at
    /// most <paramref name="shardSize"/>, and queues each shard for sending. Returns how many were recorded; the
    /// others were in the campaign already.
    /// </summary>
    Task<int> RecordAsync(CampaignPost post, IReadOnlyList<Invitee> invitees, int shardSize, CancellationToken cancellationToken);

    Task<CampaignProgress?> ProgressAsync(string campaignId, CancellationToken cancellationToken);

    /// <summary>The keys, among <paramref name="keys"/>, of addresses that have a profile (confirmed or not).</summary>
    Task<IReadOnlySet<string>> MembersAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken);
}

/// <summary>Organizers' bulk invitations: sort the list, leave out members and unsubscribed addresses, record the rest once.</summary>
public sealed class CampaignService(ICampaignLedger ledger, ISuppressionList suppressions, TimeProvider clock)
{
    public const int ShardSize = 1_000;
    public const int TitleMaxLength = 100;
    public const int MessageMaxLength = 2_000;
    public const int SenderMaxLength = 100;

    public async Task<CampaignReceipt> InviteAsync(CampaignRequest request, CancellationToken cancellationToken)
    {
        var sorted = InvitationLists.Sort(request.Rows);
        var keys = sorted.Invitees.Select(i => i.Key).ToList();
        var members = await ledger.MembersAsync(keys, cancellationToken);
        var suppressed = await suppressions.SuppressedKeysAsync(cancellationToken);
        var toInvite = sorted.Invitees.Where(i => !members.Contains(i.Key) && !suppressed.Contains(i.Key)).ToList();
        var campaignId = CampaignId(request.Title);
        var post = new CampaignPost(campaignId, Guid.NewGuid().ToString("N"), request.Title, request.Message, request.Sender, clock.GetUtcNow());
        var recorded = toInvite.Count == 0 ? 0 : await ledger.RecordAsync(post, toInvite, ShardSize, cancellationToken);
        return new CampaignReceipt(campaignId, recorded,
            Duplicates: sorted.Duplicates + (toInvite.Count - recorded),
            AlreadyMembers: sorted.Invitees.Count(i => members.Contains(i.Key)),
            Suppressed: sorted.Invitees.Count(i => !members.Contains(i.Key) && suppressed.Contains(i.Key)),
            sorted.Invalid);
    }

    /// <summary>
    /// A campaign's id, from its title: readable ("spring-network-2027-") and unique to the title however it is
    /// spelt in case or spacing (the hash's first 8 hex digits).
    /// </summary>
    public static string CampaignId(string title)
    {
        var normalized = string.Join(' ', title.Trim().ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var slug = new StringBuilder();
        foreach (var c in normalized.Normalize(NormalizationForm.FormD))
        {
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9')
            {
                slug.Append(c);
            }
            else if (slug.Length > 0 && slug[^1] != '-' && char.GetUnicodeCategory(c) != System.Globalization.UnicodeCategory.NonSpacingMark)
            {
                slug.Append('-');
            }
        }
        var readable = slug.ToString().Trim('-');
        readable = readable.Length > 40 ? readable[..40].TrimEnd('-') : readable;
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalized)))[..8];
        return readable.Length == 0 ? hash : $"{readable}-{hash}";
    }
}
