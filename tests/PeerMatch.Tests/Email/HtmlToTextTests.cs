using PeerMatch.Functions.Email;

namespace PeerMatch.Tests.Email;

/// <summary>The text part of an e-mail is its HTML part read as text: same words, links spelled out.</summary>
public sealed class HtmlToTextTests
{
    [Fact]
    public void Paragraphs_are_separated_by_one_blank_line_and_whitespace_collapses_as_in_a_browser()
    {
        var text = HtmlToText.Convert("<body><p>Hello   Ada,</p>\n\n   <p>Two\n  lines<br>and a break.</p><div><p>Nested</p></div></body>");

        Assert.Equal("Hello Ada,\n\nTwo lines\nand a break.\n\nNested\n", text);
    }

    [Fact]
    public void A_link_reads_as_its_words_then_its_address_and_an_address_as_itself()
    {
        var text = HtmlToText.Convert("""
            <p><a href="https://x.test/confirm?token=a&amp;b=1">Confirm my address</a></p>
            <p>Reach bea at <a href="mailto:bea@example.org">bea@example.org</a>.</p>
            <p><a href="https://x.test/plain">https://x.test/plain</a></p>
            """);

        Assert.Equal("Confirm my address: https://x.test/confirm?token=a&b=1\n\nReach bea at bea@example.org.\n\nhttps://x.test/plain\n", text);
    }

    [Fact]
    public void List_items_become_dashed_lines_and_html_only_parts_are_left_out()
    {
        var text = HtmlToText.Convert("""
            <p>Here are 2 peers.</p>
            <ul><li><strong>Bea</strong>: both in Berlin.</li><li><strong>Cy</strong>: same hours.</li></ul>
            <p data-html-only>Or copy this address: https://x.test/a</p>
            <hr data-html-only>
            <style>p{color:red}</style>
            <p>Bye</p>
            """);

        Assert.Equal("Here are 2 peers.\n\n- Bea: both in Berlin.\n- Cy: same hours.\n\nBye\n", text);
    }

    [Fact]
    public void Encoded_text_reads_as_written()
    {
        Assert.Equal("<script> & “quotes”\n", HtmlToText.Convert("<p>&lt;script&gt; &amp; “quotes”</p>"));
    }
}
