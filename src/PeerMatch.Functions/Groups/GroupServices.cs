using PeerMatch.Functions.Http;
using PeerMatch.Functions.Intake;
using PeerMatch.Functions.Settings;
using PeerMatch.Functions.Email;
using PeerMatch.Matching;
using PeerMatch.Matching.Groups;
using PeerMatch.Practitioners;

namespace PeerMatch.Functions.Groups;

public static class GroupServices
{
    /// <summary>Peer groups: their store (which takes part in erasure), the flow, the content files and the e-mails.</summary>
    public static IServiceCollection AddGroups(this IServiceCollection services) =>
        services
            .AddFeatureOptions<GroupOptions>()
            .AddApiJson(GroupJson.Default)
            .AddSingleton<GroupTable>()
            .AddSingleton<IGroupStore>(sp => sp.GetRequiredService<GroupTable>())
            .AddSingleton<IPersonalDataStore>(sp => sp.GetRequiredService<GroupTable>())
            .AddSingleton<PeerGroups>()
            .AddSingleton<GroupSeekers>()
            .AddSingleton<GroupSettling>()
            .AddSingleton<GroupMeetings>()
            .AddSingleton<GroupLife>()
            .AddSingleton<GroupRules>()
            .AddSingleton<GroupForming>()
            .AddSingleton<GroupAnswers>()
            .AddSingleton<ITrainingExamples>(sp => sp.GetRequiredService<PeerGroups>())
            .AddSingleton<GroupContent>()
            .AddSingleton<ProfileGroups>()
            .AddSingleton<IProfileSection, GroupProfileSection>()
            .AddSingleton<GroupLinks>()
            .AddSingleton<GroupPages>()
            .AddSingleton<GroupMeetingMail>()
            .AddEmailComposer<GroupEmailComposer>();
}
