using PeerMatch.Functions.Http;
using PeerMatch.Functions.Links;
using PeerMatch.Links;
using PeerMatch.Practitioners;

namespace PeerMatch.Functions.Intake;

/// <summary>The unsubscribe link every e-mail but a confirmation carries (and its List-Unsubscribe header).</summary>
public sealed class UnsubscribeLinks(LinkSigner signer)
{
    /// <summary>A year: an unsubscribe link in an old e-mail should still work.</summary>
    public static readonly TokenPurpose Purpose = new("Unsubscribe", TimeSpan.FromDays(365));

    public static readonly LinkKind Kind = new("This profile no longer exists", "It belonged to a profile that has been erased, or to a sign-up that was never confirmed. You are welcome to sign up again: it takes two minutes.");

    /// <summary>
    /// Unsubscribe links name the address (by its hash), not a profile: they keep working after an erase, and serve
    /// invitees who have no profile.
    /// </summary>
    public Task<Uri> UrlAsync(string email, CancellationToken cancellationToken) =>
        signer.UrlAsync(IntakeRoutes.Unsubscribe, Purpose, EmailAddresses.Key(email), null, cancellationToken);
}
