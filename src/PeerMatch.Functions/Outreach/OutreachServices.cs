using PeerMatch.Intake;
using PeerMatch.Invitations;

namespace PeerMatch.Functions.Outreach;

public static class OutreachServices
{
    /// <summary>Unsubscribing (the suppression list every sender checks) and invitations (the campaign ledger, its e-mail).</summary>
    public static IServiceCollection AddOutreach(this IServiceCollection services) =>
        services
            .AddSingleton<SuppressionTable>()
            .AddSingleton<ISuppressionList>(sp => sp.GetRequiredService<SuppressionTable>())
            .AddSingleton<CampaignTable>()
            .AddSingleton<ICampaignLedger>(sp => sp.GetRequiredService<CampaignTable>())
            .AddSingleton<IPersonalDataStore>(sp => sp.GetRequiredService<CampaignTable>())
            .AddSingleton<CampaignService>()
            .AddSingleton<InvitationComposer>()
            .AddSingleton<CampaignSending>();
}
