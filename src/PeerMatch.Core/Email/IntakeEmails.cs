using static System.Net.WebUtility;

namespace PeerMatch.Email;

/// <summary>The two messages of sign-up: confirm a new address, or a way back in for a known one.</summary>
public static class IntakeEmails
{
    public static EmailMessage Confirmation(string name, string email, Uri confirmUrl) => new(
        EmailKind.Confirmation,
        email,
        name,
        "Confirm your PeerMatch profile",
        $"""
        Hello {name},

        Thank you for joining PeerMatch, where mediation practitioners find peers and form peer support groups.

        Please confirm your e-mail address to activate your profile (the link works for 7 days):
        {confirmUrl.AbsoluteUri}

        Once confirmed, you will receive a short e-mail each Monday morning with a few suggested peers and the reasons for each suggestion. Nobody sees your contact details unless you both say yes.

        If you did not sign up, ignore this message: without confirmation nothing happens and the profile is removed.
        """,
        Html(name, """
            <p>Thank you for joining PeerMatch, where mediation practitioners find peers and form peer support groups.</p>
            <p>Please confirm your e-mail address to activate your profile (the link works for 7 days):</p>
            """,
            "Confirm my profile", confirmUrl,
            "<p>If you did not sign up, ignore this message: without confirmation nothing happens and the profile is removed.</p>"),
        UnsubscribeUrl: null);

    public static EmailMessage ManageLink(string name, string email, Uri manageUrl, Uri unsubscribeUrl) => new(
        EmailKind.ManageLink,
        email,
        name,
        "Your PeerMatch profile",
        $"""
        Hello {name},

        Someone (probably you) just signed up to PeerMatch with this address, which already has a profile. Nothing was changed.

        To see, update, pause or erase your profile, use this link (it works for 30 days):
        {manageUrl.AbsoluteUri}

        To stop all e-mail from PeerMatch: {unsubscribeUrl.AbsoluteUri}
        """,
        Html(name, "<p>Someone (probably you) just signed up to PeerMatch with this address, which already has a profile. Nothing was changed.</p><p>To see, update, pause or erase your profile, use this link (it works for 30 days):</p>",
            "Manage my profile", manageUrl,
            $"""<p><a href="{HtmlEncode(unsubscribeUrl.AbsoluteUri)}">Stop all e-mail from PeerMatch</a></p>"""),
        unsubscribeUrl);

    /// <summary>A plain, accessible HTML layout: a greeting, the trusted body, one call to action, a footer.</summary>
    internal static string Html(string name, string trustedBody, string actionLabel, Uri actionUrl, string trustedFooter) => $"""
        <!doctype html>
        <html lang="en"><body style="font-family:system-ui,sans-serif;line-height:1.5;max-width:36rem">
        <p>Hello {HtmlEncode(name)},</p>
        {trustedBody}
        <p><a href="{HtmlEncode(actionUrl.AbsoluteUri)}" style="display:inline-block;padding:.6rem 1rem;background:#1d4ed8;color:#fff;border-radius:.3rem;text-decoration:none">{HtmlEncode(actionLabel)}</a></p>
        <p style="font-size:.9rem">Or copy this address: {HtmlEncode(actionUrl.AbsoluteUri)}</p>
        {trustedFooter}
        </body></html>
        """;
}
