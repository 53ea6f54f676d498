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
            .AddSingleton<InvitationComposer>()
            .AddSingleton<SendingSlots>()
            .AddSingleton<CampaignSending>()
            .AddSingleton<IProfileSection, ColleagueProfileSection>();
}
