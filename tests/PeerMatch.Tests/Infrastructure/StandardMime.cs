using MimeKit;

namespace PeerMatch.Tests.Infrastructure;

/// <summary>
/// What every mail program can open: CRLF line endings only, 7-bit bytes only (every part quoted-printable, base64 or
/// plain ASCII), no line over RFC 5322's 998 octets, and a message MimeKit reads in its strict modes.
/// </summary>
public static class StandardMime
{
    public const int MaxLineOctets = 998;

    private static readonly ParserOptions Strict = new()
    {
        AddressParserComplianceMode = RfcComplianceMode.Strict,
        ParameterComplianceMode = RfcComplianceMode.Strict,
        Rfc2047ComplianceMode = RfcComplianceMode.Strict,
        AllowAddressesWithoutDomain = false,
    };

    /// <summary>Reads an outbox file, failing the test with what is wrong if it is not standard MIME.</summary>
    public static MimeMessage Load(string file)
    {
        var bytes = File.ReadAllBytes(file);
        var name = Path.GetFileName(file);
        var lineStart = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            var b = bytes[i];
            Assert.False(b is 0 or >= 0x80, $"{name}: byte 0x{b:X2} at {i}, where only 7-bit text may stand.");
            if (b == '\r')
            {
                Assert.True(i + 1 < bytes.Length && bytes[i + 1] == '\n', $"{name}: a CR without LF at {i}.");
            }
            else if (b == '\n')
            {
                Assert.True(i > 0 && bytes[i - 1] == '\r', $"{name}: a bare LF at {i}.");
                Assert.True(i - 1 - lineStart <= MaxLineOctets, $"{name}: a line of {i - 1 - lineStart} octets.");
                lineStart = i + 1;
            }
        }
        Assert.True(bytes.Length - lineStart <= MaxLineOctets, $"{name}: a last line of {bytes.Length - lineStart} octets.");

        using var stream = new MemoryStream(bytes);
        var message = MimeMessage.Load(Strict, stream);
        Assert.NotNull(message.MessageId);
        Assert.NotEqual(default, message.Date);
        Assert.Single(message.From.Mailboxes);
        Assert.Single(message.To.Mailboxes);
        foreach (var part in message.BodyParts.OfType<MimePart>())
        {
            Assert.Contains(part.ContentTransferEncoding, new[] { ContentEncoding.QuotedPrintable, ContentEncoding.Base64, ContentEncoding.SevenBit });
            if (part is TextPart text)
            {
                Assert.False(string.IsNullOrEmpty(text.ContentType.Charset), $"{name}: a {text.ContentType.MimeType} part without a charset.");
            }
        }
        Assert.NotNull(message.TextBody);
        Assert.NotNull(message.HtmlBody);
        return message;
    }
}
