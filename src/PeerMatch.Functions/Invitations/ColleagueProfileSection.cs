using PeerMatch.Functions.Intake;
using PeerMatch.Practitioners;

namespace PeerMatch.Functions.Invitations;

/// <summary>The profile page's "invite a colleague" form, and what became of the last invitation sent from it.</summary>
public sealed class ColleagueProfileSection : IProfileSection
{
    public int Order => 20;

    public Task<ProfileSectionView?> ViewAsync(Practitioner practitioner, string token, HttpRequest request, CancellationToken cancellationToken) =>
        Task.FromResult<ProfileSectionView?>(new(typeof(InviteColleagueForm), new Dictionary<string, object?>
        {
            [nameof(InviteColleagueForm.Token)] = token,
            [nameof(InviteColleagueForm.Outcome)] = request.Query["invite"].FirstOrDefault() is "sent" or "limit" or "invalid" ? request.Query["invite"].ToString() : null,
        }));
}
