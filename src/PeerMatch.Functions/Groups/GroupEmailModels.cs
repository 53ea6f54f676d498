using PeerMatch.Functions.Email;

namespace PeerMatch.Functions.Groups;

/// <summary>What <see cref="GroupCalledOffEmail"/> says.</summary>
public sealed record GroupCalledOffModel(EmailFooter Footer) : IEmailModel;

/// <summary>What <see cref="GroupCheckInEmail"/> says.</summary>
public sealed record GroupCheckInModel(EmailFooter Footer, Uri AnswerUrl, string? Since = null) : IEmailModel;

/// <summary>What <see cref="GroupIntroductionEmail"/> says.</summary>
public sealed record GroupIntroductionModel(EmailFooter Footer, GroupView View, IReadOnlyList<GroupPerson> Members, string? YouId, string? News, string? AboutName, IReadOnlyList<string> Times, IReadOnlyList<ContentItem> GroundRules, IReadOnlyList<ContentItem> Outline, Uri GroupUrl, string? Standing = null) : IEmailModel;

/// <summary>What <see cref="GroupInvitationEmail"/> says.</summary>
public sealed record GroupInvitationModel(EmailFooter Footer, GroupView View, IReadOnlyList<GroupPerson> Others, bool YouConvene, IReadOnlyList<string> Reasons, IReadOnlyList<ContentItem> GroundRules, IReadOnlyList<ContentItem> Outline, Uri GroupUrl) : IEmailModel;

/// <summary>What <see cref="GroupConvenerRequestEmail"/> says: <see cref="Others"/> counts the willing members asked after this one.</summary>
public sealed record GroupConvenerRequestModel(EmailFooter Footer, GroupView View, int Others, Uri ConveneUrl) : IEmailModel;

/// <summary>What <see cref="GroupMeetingEmail"/> says: the standing meeting (new, or changed), its next occurrence in the reader's zone, and who does what then.</summary>
public sealed record GroupMeetingModel(EmailFooter Footer, GroupView View, bool Changed, string Rhythm, string Next, string? Facilitator, string? CaseBringer, Uri GroupUrl) : IEmailModel;

/// <summary>What <see cref="GroupMeetingReminderEmail"/> says: when (in the reader's zone), who facilitates, who brings the case, and the outline.</summary>
public sealed record GroupMeetingReminderModel(EmailFooter Footer, string When, string? Facilitator, string? CaseBringer, IReadOnlyList<ContentItem> Outline, Uri GroupUrl, bool LookingForMembers = false) : IEmailModel;

/// <summary>What <see cref="GroupLapsedEmail"/> says to the convener: the group's last sign of meeting, and its page.</summary>
public sealed record GroupLapsedModel(EmailFooter Footer, string Since, Uri GroupUrl) : IEmailModel;

/// <summary>What <see cref="GroupWoundDownEmail"/> says: why the group wound down, and whether the reader is back among those groups are formed for.</summary>
public sealed record GroupWoundDownModel(EmailFooter Footer, bool SeekingAGroup, bool HadStandingMeeting) : IEmailModel;

/// <summary>What <see cref="GroupRulesEmail"/> says: who changed the group's ground rules, and the rules as they now stand.</summary>
public sealed record GroupRulesModel(EmailFooter Footer, string Convener, IReadOnlyList<ContentItem> Rules, Uri GroupUrl) : IEmailModel;
