using PeerMatch.Functions.Email;

namespace PeerMatch.Functions.Groups;

/// <summary>What <see cref="GroupCalledOffEmail"/> says.</summary>
public sealed record GroupCalledOffModel(EmailFooter Footer) : IEmailModel;

/// <summary>What <see cref="GroupCheckInEmail"/> says.</summary>
public sealed record GroupCheckInModel(EmailFooter Footer, Uri AnswerUrl) : IEmailModel;

/// <summary>What <see cref="GroupIntroductionEmail"/> says.</summary>
public sealed record GroupIntroductionModel(EmailFooter Footer, GroupView View, IReadOnlyList<GroupPerson> Members, string? YouId, string? News, string? AboutName, IReadOnlyList<string> Times, IReadOnlyList<ContentItem> GroundRules, IReadOnlyList<ContentItem> Outline, Uri GroupUrl) : IEmailModel;

/// <summary>What <see cref="GroupInvitationEmail"/> says.</summary>
public sealed record GroupInvitationModel(EmailFooter Footer, GroupView View, IReadOnlyList<GroupPerson> Others, bool YouConvene, IReadOnlyList<string> Reasons, IReadOnlyList<ContentItem> GroundRules, IReadOnlyList<ContentItem> Outline, Uri GroupUrl) : IEmailModel;

/// <summary>What <see cref="GroupConvenerRequestEmail"/> says: <see cref="Others"/> counts the willing members asked after this one.</summary>
public sealed record GroupConvenerRequestModel(EmailFooter Footer, GroupView View, int Others, Uri ConveneUrl) : IEmailModel;
