using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace PeerMatch.Functions.Email;

/// <summary>
/// The text part of an e-mail, read from its HTML part, so the two always say the same: paragraphs
/// and headings become blank-line separated, list items "- …", a link "its words: its address"
/// (just the address when the words are the address), and what is marked <c>data-html-only</c>
/// (a spelled-out copy of a button's address, a rule) is left out.
/// </summary>
public static class HtmlToText
{
    private static readonly HashSet<string> Blocks =
        new(["P", "DIV", "H1", "H2", "H3", "H4", "UL", "OL", "BLOCKQUOTE", "TABLE", "SECTION", "HEADER", "FOOTER", "HR"], StringComparer.Ordinal);

    private static readonly HtmlParser Parser = new();

    public static string Convert(string html)
    {
        var document = Parser.ParseDocument(html);
        var text = new Writer();
        Walk(document.Body!, text);
        return text.ToString();
    }

    private static void Walk(INode node, Writer text)
    {
        foreach (var child in node.ChildNodes)
        {
            if (child is IText words)
            {
                text.Words(words.Data);
                continue;
            }
            if (child is not IElement element || element.HasAttribute("data-html-only") || element.LocalName is "style" or "script" or "head" or "title")
            {
                continue;
            }
            switch (element.TagName)
            {
                case "BR":
                    text.LineBreak();
                    break;
                case "LI":
                    text.LineBreak();
                    text.Words("- ");
                    Walk(element, text);
                    text.LineBreak();
                    break;
                case "A" when element.GetAttribute("href") is { Length: > 0 } href:
                    var before = text.Length;
                    Walk(element, text);
                    var target = href.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) ? href["mailto:".Length..] : href;
                    if (!text.EndsWith(target, before))
                    {
                        text.Words(text.Length > before ? ": " + target : target);
                    }
                    break;
                case var tag when Blocks.Contains(tag):
                    text.Paragraph();
                    Walk(element, text);
                    text.Paragraph();
                    break;
                default:
                    Walk(element, text);
                    break;
            }
        }
    }

    /// <summary>Collapses whitespace as a browser does, and keeps at most one blank line between blocks.</summary>
    private sealed class Writer
    {
        private readonly StringBuilder _text = new();
        private int _pendingBreaks;

        public int Length => _text.Length;

        public void Words(string words)
        {
            foreach (var c in words)
            {
                if (char.IsWhiteSpace(c))
                {
                    if (_text.Length > 0 && _pendingBreaks == 0 && _text[^1] != ' ')
                    {
                        _text.Append(' ');
                    }
                    continue;
                }
                if (_pendingBreaks > 0)
                {
                    TrimTrailingSpace();
                    if (_text.Length > 0)
                    {
                        _text.Append('\n', _pendingBreaks);
                    }
                    _pendingBreaks = 0;
                }
                _text.Append(c);
            }
        }

        public void LineBreak() => _pendingBreaks = Math.Max(_pendingBreaks, 1);

        public void Paragraph() => _pendingBreaks = 2;

        public bool EndsWith(string value, int from) =>
            _text.Length - from >= value.Length && _text.ToString(_text.Length - value.Length, value.Length) == value;

        public override string ToString()
        {
            TrimTrailingSpace();
            return _text.ToString() + "\n";
        }

        private void TrimTrailingSpace()
        {
            while (_text.Length > 0 && _text[^1] == ' ')
            {
                _text.Length--;
            }
        }
    }
}
