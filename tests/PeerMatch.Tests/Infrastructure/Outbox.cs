using MimeKit;

namespace PeerMatch.Tests.Infrastructure;

/// <summary>Reads what the app "sent": the .eml files in its outbox folder.</summary>
public sealed class Outbox(string path)
{
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(15);

    public IReadOnlyList<MimeMessage> All()
    {
        if (!Directory.Exists(path))
        {
            return [];
        }
        // Every message any test reads is held to the standard, so every kind a test makes is checked.
        return Directory.EnumerateFiles(path, "*.eml").Order().Select(StandardMime.Load).ToList();
    }

    public IReadOnlyList<MimeMessage> To(string address) =>
        All().Where(m => m.To.Mailboxes.Any(b => string.Equals(b.Address, address, StringComparison.OrdinalIgnoreCase))).ToList();

    /// <summary>Waits until <paramref name="address"/> has received <paramref name="count"/> messages of <paramref name="kind"/>.</summary>
    public async Task<MimeMessage> WaitForAsync(string address, string kind, int count = 1, TimeSpan? timeout = null)
    {
        var matching = await Eventually.Async(() => Task.FromResult(To(address).Where(m => m.Headers["X-PeerMatch-Kind"] == kind).ToList()),
            found => found.Count >= count, $"{kind} e-mail #{count} to {address} (outbox: [{string.Join(", ", All().Select(m => $"{m.Headers["X-PeerMatch-Kind"]} to {m.To}"))}])",
            timeout ?? DefaultWait);
        return matching[count - 1];
    }

    /// <summary>The first absolute link in the text part that starts with <paramref name="prefix"/>.</summary>
    public static Uri Link(MimeMessage message, string prefix)
    {
        var text = message.TextBody ?? throw new InvalidOperationException("The message has no text part.");
        var start = text.IndexOf(prefix, StringComparison.Ordinal);
        if (start < 0)
        {
            throw new InvalidOperationException($"No link starting with {prefix} in:\n{text}");
        }
        var end = text.IndexOfAny([' ', '\r', '\n', '\t'], start);
        return new Uri(end < 0 ? text[start..] : text[start..end]);
    }

    /// <summary>The path and query of a link, to request from the in-process server.</summary>
    public static string Relative(Uri link) => link.PathAndQuery;
}
