using System.Security.Cryptography;
using System.Text;
using PeerMatch.Practitioners;

namespace PeerMatch.Invitations;

/// <summary>
/// A request to invite a list: the campaign it belongs to (by its title), the organizer's message, who it is
/// from, and the rows. A campaign is known by its title: posting the same title again adds to the same campaign.
/// </summary>
public sealed record CampaignRequest(string Title, string Message, string Sender, IReadOnlyList<InvitationRow> Rows);

/// <summary>What became of a request: the SPEC's 202 answer.</summary>
public sealed record CampaignReceipt(string CampaignId, int Accepted, int Duplicates, int AlreadyMembers, int Suppressed, IReadOnlyList<InvalidRow> Invalid);

/// <summary>
/// How far a campaign has got: each recipient recorded for sending is pending, sent, failed, skipped, or in doubt (in a
/// request whose answer never came because the sending stopped during it; an organizer counts them as sent or sends
/// them again).
/// </summary>
public sealed record CampaignProgress(string CampaignId, string Title, int Total, int Pending, int Sent, int Failed, int Skipped, int InDoubt);

/// <summary>An organizer's campaign in the list of campaigns: newest first, by when it was last posted to.</summary>
public sealed record CampaignSummary(string CampaignId, string Title, DateTimeOffset UpdatedAt);

/// <summary>One request's part of a campaign: its message and sender, shared by the recipients it added.</summary>
public sealed record CampaignPost(string CampaignId, string PostId, string Title, string Message, string Sender, DateTimeOffset PostedAt);

/// <summary>
/// The campaign ledger: one record per campaign and address, inserted only if absent, so that whatever is
/// posted, retried or run twice, an address is invited once per campaign. Implemented on Table Storage.
/// </summary>
public interface ICampaignLedger
{
    /// <summary>
    /// Records the request (<paramref name="post"/>) and the <paramref name="invitees"/> not yet in the campaign, in shards of at
    /// most <paramref name="shardSize"/>, and queues each shard for sending. Returns how many were recorded; the
    /// others were in the campaign already.
    /// </summary>
    Task<int> RecordAsync(CampaignPost post, IReadOnlyList<Invitee> invitees, int shardSize, CancellationToken cancellationToken);

    /// <summary>The keys of the addresses the campaign has recorded (empty for a campaign not posted yet).</summary>
    Task<IReadOnlySet<string>> RecordedKeysAsync(string campaignId, CancellationToken cancellationToken);

    Task<CampaignProgress?> ProgressAsync(string campaignId, CancellationToken cancellationToken);

    /// <summary>The <paramref name="count"/> organizers' campaigns posted to most recently (practitioners' own are not listed).</summary>
    Task<IReadOnlyList<CampaignSummary>> RecentAsync(int count, CancellationToken cancellationToken);

    /// <summary>How many requests the campaign has had since <paramref name="since"/>.</summary>
    Task<int> PostsSinceAsync(string campaignId, DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>Removes a practitioner's own invitations of colleagues.</summary>
    Task EraseAsync(string practitionerId, CancellationToken cancellationToken);
}

/// <summary>Organizers' bulk invitations: sort the list, leave out members and unsubscribed addresses, record the rest once.</summary>
public sealed class CampaignService(ICampaignLedger ledger, IPractitionerRepository practitioners, ISuppressionList suppressions, TimeProvider clock)
{
    public const int ShardSize = 1_000;
    public const int TitleMaxLength = 100;
    public const int MessageMaxLength = 2_000;
    public const int SenderMaxLength = 100;

    /// <summary>Invitations a practitioner may send colleagues in 7 days, whatever becomes of them.</summary>
    public const int ColleaguesPerWeek = 5;

    public Task<CampaignReceipt> InviteAsync(CampaignRequest request, CancellationToken cancellationToken) =>
        RecordAsync(new CampaignPost(CampaignId(request.Title), Guid.NewGuid().ToString("N"), request.Title, request.Message, request.Sender, clock.GetUtcNow()),
            request.Rows, cancellationToken);

    /// <summary>What <see cref="InviteAsync"/> would answer now, recording and sending nothing: the counts an organizer checks before sending.</summary>
    public async Task<CampaignReceipt> PreviewAsync(CampaignRequest request, CancellationToken cancellationToken)
    {
        var campaignId = CampaignId(request.Title);
        var screened = await ScreenAsync(request.Rows, cancellationToken);
        var inCampaign = await ledger.RecordedKeysAsync(campaignId, cancellationToken);
        return screened.Receipt(campaignId, screened.ToInvite.Count(i => !inCampaign.Contains(i.Key)));
    }

    /// <summary>
    /// A practitioner invites a colleague (a campaign of their own, so nobody gets their invitation twice). False when they
    /// have invited <see cref="ColleaguesPerWeek"/> in the last 7 days; otherwise the same whether the address is new, a
    /// member's or unsubscribed, and only a new one is sent anything.
    /// </summary>
    public async Task<bool> InviteColleagueAsync(Practitioner inviter, InvitationRow colleague, string message, CancellationToken cancellationToken)
    {
        var campaignId = ColleagueCampaignId(inviter.Id);
        var now = clock.GetUtcNow();
        if (await ledger.PostsSinceAsync(campaignId, now - TimeSpan.FromDays(7), cancellationToken) >= ColleaguesPerWeek)
        {
            return false;
        }
        await RecordAsync(new CampaignPost(campaignId, Guid.NewGuid().ToString("N"), "Colleagues invited by a member", message, inviter.Profile.Name, now),
            [colleague], cancellationToken);
        // The inviter may have erased their profile meanwhile (the erase marks it first, then sweeps): what this wrote goes too.
        if (await practitioners.GetAsync(inviter.Id, cancellationToken) is null)
        {
            await ledger.EraseAsync(inviter.Id, cancellationToken);
        }
        return true;
    }

    /// <summary>
    /// A practitioner's own campaign. The tilde keeps these apart from organizers' campaigns, whose ids are letters,
    /// digits and hyphens (<see cref="CampaignId"/>), and sorts them after every one of those.
    /// </summary>
    public static string ColleagueCampaignId(string practitionerId) => $"~colleagues-{practitionerId}";

    private async Task<CampaignReceipt> RecordAsync(CampaignPost post, IReadOnlyList<InvitationRow> rows, CancellationToken cancellationToken)
    {
        var screened = await ScreenAsync(rows, cancellationToken);
        var recorded = await ledger.RecordAsync(post, screened.ToInvite, ShardSize, cancellationToken);
        return screened.Receipt(post.CampaignId, recorded);
    }

    /// <summary>A list sorted, and its valid addresses split into members', unsubscribed and the rest (to invite).</summary>
    private sealed record Screened(SortedInvitations Sorted, IReadOnlySet<string> Members, IReadOnlySet<string> Suppressed, List<Invitee> ToInvite)
    {
        /// <summary>The answer, once <paramref name="accepted"/> of those to invite turned out new to the campaign; the rest were in it.</summary>
        public CampaignReceipt Receipt(string campaignId, int accepted) => new(campaignId, accepted,
            Duplicates: Sorted.Duplicates + (ToInvite.Count - accepted),
            // An unsubscribed address is counted as such, member or not: the organizer sees who opted out.
            AlreadyMembers: Sorted.Invitees.Count(i => Members.Contains(i.Key) && !Suppressed.Contains(i.Key)),
            Suppressed: Sorted.Invitees.Count(i => Suppressed.Contains(i.Key)),
            Sorted.Invalid);
    }

    private async Task<Screened> ScreenAsync(IReadOnlyList<InvitationRow> rows, CancellationToken cancellationToken)
    {
        var sorted = InvitationLists.Sort(rows);
        var members = await practitioners.KnownEmailKeysAsync(sorted.Invitees.Select(i => i.Key).ToList(), cancellationToken);
        var suppressed = await suppressions.SuppressedKeysAsync(cancellationToken);
        return new Screened(sorted, members, suppressed, sorted.Invitees.Where(i => !members.Contains(i.Key) && !suppressed.Contains(i.Key)).ToList());
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
