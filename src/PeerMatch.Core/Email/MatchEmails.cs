using System.Globalization;
using System.Text;
using static System.Net.WebUtility;

namespace PeerMatch.Email;

/// <summary>One suggestion as a digest shows it.</summary>
public sealed record DigestItem(string PeerName, IReadOnlyList<string> Reasons, Uri AnswerUrl);

/// <summary>The messages matching sends: the weekly digest, the introduction and its follow-up.</summary>
public static class MatchEmails
{
    public static EmailMessage Digest(string name, string email, IReadOnlyList<DigestItem> items, string? noneReason, Uri manageUrl, Uri unsubscribeUrl)
    {
        var text = new StringBuilder($"Hello {name},\n\n");
        var html = new StringBuilder();
        if (items.Count == 0)
        {
            text.Append("No suggestion this week. ").Append(noneReason ?? "Nobody suited you closely enough this week.").Append("\n\nWe will try again next Monday.\n");
            html.Append(CultureInfo.InvariantCulture, $"<p><strong>No suggestion this week.</strong> {HtmlEncode(noneReason ?? "Nobody suited you closely enough this week.")}</p><p>We will try again next Monday.</p>");
        }
        else
        {
            text.Append(items.Count == 1 ? "Here is a peer you might like to meet this week" : $"Here are {items.Count} peers you might like to meet this week")
                .Append(". Your contact details are shared only if you both say yes.\n");
            html.Append("<p>Your contact details are shared only if you both say yes.</p><ul>");
            foreach (var item in items)
            {
                text.Append(CultureInfo.InvariantCulture, $"\n{item.PeerName}: {string.Join("; ", item.Reasons)}.\nSee and answer: {item.AnswerUrl.AbsoluteUri}\n");
                html.Append(CultureInfo.InvariantCulture, $"<li><p><strong>{HtmlEncode(item.PeerName)}</strong>: {HtmlEncode(string.Join("; ", item.Reasons))}.</p><p><a href=\"{HtmlEncode(item.AnswerUrl.AbsoluteUri)}\">See {HtmlEncode(item.PeerName)} and answer</a></p></li>");
            }
            html.Append("</ul>");
        }
        text.Append(CultureInfo.InvariantCulture, $"\nYour profile (change, pause or erase it): {manageUrl.AbsoluteUri}\nStop all e-mail from PeerMatch: {unsubscribeUrl.AbsoluteUri}\n");
        return new EmailMessage(
            EmailKind.Digest, email, name,
            items.Count == 0 ? "PeerMatch: no suggestion this week" : $"PeerMatch: {items.Count} suggested peer{(items.Count == 1 ? "" : "s")} this week",
            text.ToString(),
            IntakeEmails.Html(name, html.ToString(), "Review my profile", manageUrl,
                $"""<p><a href="{HtmlEncode(unsubscribeUrl.AbsoluteUri)}">Stop all e-mail from PeerMatch</a></p>"""),
            unsubscribeUrl);
    }

    public static EmailMessage FollowUp(string name, string email, string peerName, Uri answerUrl, Uri manageUrl, Uri unsubscribeUrl) => new(
        EmailKind.FollowUp, email, name,
        $"PeerMatch: did you meet {peerName}?",
        $"""
        Hello {name},

        Two weeks ago we introduced you to {peerName}. Did you meet? One click tells us, and helps us suggest better peers:
        {answerUrl.AbsoluteUri}

        Your profile: {manageUrl.AbsoluteUri}
        Stop all e-mail from PeerMatch: {unsubscribeUrl.AbsoluteUri}
        """,
        IntakeEmails.Html(name,
            $"<p>Two weeks ago we introduced you to {HtmlEncode(peerName)}. Did you meet? One click tells us, and helps us suggest better peers.</p>",
            "Tell us", answerUrl,
            $"""<p><a href="{HtmlEncode(unsubscribeUrl.AbsoluteUri)}">Stop all e-mail from PeerMatch</a></p>"""),
        unsubscribeUrl);

    public static EmailMessage Introduction(string name, string email, string peerName, string peerEmail, IReadOnlyList<string> reasons, Uri manageUrl, Uri unsubscribeUrl) => new(
        EmailKind.Introduction, email, name,
        $"PeerMatch: meet {peerName}",
        $"""
        Hello {name},

        You and {peerName} both said yes. You can reach {peerName} at {peerEmail}.
        Why we suggested each other: {string.Join("; ", reasons)}.

        A first conversation that works well: 30 minutes online or over coffee. Each of you brings a recent hard moment from a mediation. Take turns: one tells it, the other loops it back ("what I hear is …") until the teller says "yes, that's it". Then swap, and notice what you felt while listening (the Inner V).

        Your profile: {manageUrl.AbsoluteUri}
        Stop all e-mail from PeerMatch: {unsubscribeUrl.AbsoluteUri}
        """,
        IntakeEmails.Html(name,
            $"""
            <p>You and {HtmlEncode(peerName)} both said yes. You can reach {HtmlEncode(peerName)} at <a href="mailto:{HtmlEncode(peerEmail)}">{HtmlEncode(peerEmail)}</a>.</p>
            <p>Why we suggested each other: {HtmlEncode(string.Join("; ", reasons))}.</p>
            <p>A first conversation that works well: 30 minutes online or over coffee. Each of you brings a recent hard moment from a mediation. Take turns: one tells it, the other loops it back (“what I hear is …”) until the teller says “yes, that's it”. Then swap, and notice what you felt while listening (the Inner V).</p>
            """,
            "Review my profile", manageUrl,
            $"""<p><a href="{HtmlEncode(unsubscribeUrl.AbsoluteUri)}">Stop all e-mail from PeerMatch</a></p>"""),
        unsubscribeUrl);
}
