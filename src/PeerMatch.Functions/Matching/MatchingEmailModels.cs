using PeerMatch.Functions.Email;

namespace PeerMatch.Functions.Matching;

/// <summary>What <see cref="DigestEmail"/> says.</summary>
public sealed record DigestModel(EmailFooter Footer, IReadOnlyList<DigestItem> Items, string NoneReason) : IEmailModel;

/// <summary>What <see cref="FollowUpEmail"/> says.</summary>
public sealed record FollowUpModel(EmailFooter Footer, string PeerName, Uri AnswerUrl) : IEmailModel;

/// <summary>What <see cref="IntroductionEmail"/> says.</summary>
public sealed record IntroductionModel(EmailFooter Footer, string PeerName, string PeerEmail, IReadOnlyList<string> Reasons) : IEmailModel;
