using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace PeerMatch.Practitioners;

public static partial class EmailAddresses
{
    /// <summary>
    /// The key an address is stored and looked up under: the same for every spelling of it, and no
    /// plain address in a key (indexes, suppressions and unsubscribe links carry this, not the address).
    /// </summary>
    public static string Key(string email) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Normalize(email))));

    /// <summary>
    /// The key an address is looked up by: two spellings of one mailbox find one profile. Case is folded, a domain's
    /// trailing dot (the root of DNS, the same mailbox) is dropped, and an internationalised domain is written in its
    /// ASCII form, so "anna@Bücher.de.", "anna@bücher.de" and "anna@xn--bcher-kva.de" are one.
    /// </summary>
    public static string Normalize(string email)
    {
        var text = email.Trim().ToLowerInvariant();
        var at = text.LastIndexOf('@');
        return at < 0 ? text : text[..(at + 1)] + (AsciiDomain(text[(at + 1)..]) ?? text[(at + 1)..].TrimEnd('.'));
    }

    /// <summary>
    /// A domain as DNS knows it: lower-case ASCII (punycode for other scripts), without a trailing dot, at least two
    /// labels of letters, digits and inner hyphens, the last not all digits; null for anything else (an IP address in
    /// brackets or bare, an empty label).
    /// </summary>
    public static string? AsciiDomain(string domain)
    {
        var trimmed = domain.EndsWith('.') ? domain[..^1] : domain;
        string ascii;
        try
        {
            ascii = System.Text.Ascii.IsValid(trimmed) ? trimmed.ToLowerInvariant() : Idn.GetAscii(trimmed).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return null; // not a domain IDNA can write
        }
        var labels = ascii.Split('.');
        return ascii.Length <= 253 && labels.Length >= 2 && labels.All(DomainLabel().IsMatch) && !labels[^1].All(char.IsAsciiDigit) ? ascii : null;
    }

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")]
    private static partial Regex DomainLabel();

    private static readonly IdnMapping Idn = new();
}
