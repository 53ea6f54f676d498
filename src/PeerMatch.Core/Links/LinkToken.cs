using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PeerMatch.Links;

/// <summary>
/// What a link in an e-mail lets its holder do, and for how long. Each feature declares its own; a token for one purpose
/// never serves another (purposes are told apart by name).
/// </summary>
public sealed record TokenPurpose(string Name, TimeSpan Lifetime)
{
    public bool Equals(TokenPurpose? other) => other is not null && other.Name == Name;

    public override int GetHashCode() => Name.GetHashCode(StringComparison.Ordinal);
}

/// <summary>What a link's token turned out to be: good, good but too old, or not PeerMatch's at all.</summary>
public enum TokenState
{
    Valid,
    Expired,
    Invalid,
}

/// <summary>
/// Signed, expiring, purpose-bound tokens: <c>base64url(purpose|subject|expiry)</c> + "." + <c>base64url(HMAC-SHA256)</c>.
/// Nothing is stored per token; the signature and the subject's own state (the profile still exists)
/// decide whether a link works.
/// </summary>
public static class LinkToken
{
    public static string Create(ReadOnlySpan<byte> key, TokenPurpose purpose, string subject, DateTimeOffset expiresAt)
    {
        if (subject.Contains('|', StringComparison.Ordinal))
        {
            throw new ArgumentException("A token subject cannot contain '|'.", nameof(subject));
        }
        var payload = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"{purpose.Name}|{subject}|{expiresAt.ToUnixTimeSeconds()}"));
        return Base64Url.EncodeToString(payload) + "." + Base64Url.EncodeToString(HMACSHA256.HashData(key, payload));
    }

    /// <summary>
    /// Whether <paramref name="token"/> has the exact shape of a token (two unpadded base64url parts, not too long): what
    /// can be refused before the key is even read, so a storage outage never slows the answer to a mangled link. Nothing
    /// else passes: no padding, no white space, nothing a lenient decoder would skip.
    /// </summary>
    public static bool IsWellFormed(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 512)
        {
            return false;
        }
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && IsCanonicalBase64Url(token.AsSpan(0, dot)) && IsCanonicalBase64Url(token.AsSpan(dot + 1));
    }

    /// <summary>
    /// Only the 64 characters of base64url, in a length and with final bits that an unpadded encoding writes
    /// (<see cref="Base64Url.IsValid(ReadOnlySpan{char})"/> refuses stray low bits but skips white space and padding).
    /// </summary>
    private static bool IsCanonicalBase64Url(ReadOnlySpan<char> part) =>
        !part.IsEmpty && !part.ContainsAnyExcept(Base64UrlAlphabet) && Base64Url.IsValid(part);

    private static readonly System.Buffers.SearchValues<char> Base64UrlAlphabet =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    /// <summary>
    /// Valid (with its subject) when it is well-formed, signed with <paramref name="key"/>, for <paramref name="purpose"/>
    /// and not expired; or whether it is signed <paramref name="purpose"/> but expired (so a page can say
    /// "this link has expired" rather than "this link does not work"), or neither.
    /// </summary>
    public static TokenState Check(ReadOnlySpan<byte> key, string? token, TokenPurpose purpose, DateTimeOffset now, out string subject)
    {
        subject = "";
        if (!IsWellFormed(token))
        {
            return TokenState.Invalid;
        }
        var dot = token!.IndexOf('.', StringComparison.Ordinal);

        var payload = Base64Url.DecodeFromChars(token.AsSpan(0, dot));
        var signature = Base64Url.DecodeFromChars(token.AsSpan(dot + 1));
        if (!CryptographicOperations.FixedTimeEquals(signature, HMACSHA256.HashData(key, payload)))
        {
            return TokenState.Invalid;
        }

        var parts = Encoding.UTF8.GetString(payload).Split('|');
        if (parts.Length != 3
            || parts[0] != purpose.Name
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var expires))
        {
            return TokenState.Invalid;
        }
        if (now.ToUnixTimeSeconds() >= expires)
        {
            return TokenState.Expired;
        }
        subject = parts[1];
        return TokenState.Valid;
    }
}
