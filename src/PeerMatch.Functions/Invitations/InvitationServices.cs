using Microsoft.Extensions.Options;
using PeerMatch.Functions.Http;
using PeerMatch.Functions.Intake;
using PeerMatch.Functions.Settings;
using PeerMatch.Invitations;
using PeerMatch.Practitioners;

namespace PeerMatch.Functions.Invitations;

public static class InvitationServices
{
    /// <summary>Invitations: organizers' campaigns and practitioners' own, their ledger, sending and e-mail.</summary>
    public static IServiceCollection AddInvitations(this IServiceCollection services) =>
        services
            .AddFeatureOptions<InvitationOptions>()
            .AddApiJson(CampaignJson.Default)
            .AddSingleton<CampaignTable>()
            .AddSingleton<ICampaignLedger>(sp => sp.GetRequiredService<CampaignTable>())
            .AddSingleton<IPersonalDataStore>(sp => sp.GetRequiredService<CampaignTable>())
            .AddSingleton<CampaignService>()
            .AddSingleton<ICampaignShards>(sp => sp.GetRequiredService<CampaignTable>())
            .AddSingleton<IInvitationComposer, InvitationComposer>()
            .AddSingleton<ISendingSlots, SendingSlots>()
            .AddSingleton(sp => new SendingTimes(
                sp.GetRequiredService<IOptions<PeerMatchOptions>>().Value.ClaimLease,
                sp.GetRequiredService<IOptions<InvitationOptions>>().Value.InvitationRetryDelay))
            .AddSingleton<CampaignSending>()
            .AddSingleton<IProfileSection, ColleagueProfileSection>();
}
