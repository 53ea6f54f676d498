using Microsoft.Extensions.Options;
using PeerMatch.Functions.Settings;

namespace PeerMatch.Functions.Groups;

/// <summary>One rule of the ground rules, or one step of the meeting outline: its name and what it says.</summary>
public sealed record ContentItem(string Name, string Text);

/// <summary>
/// The draft ground rules and meeting outline every group receives, kept as Markdown files an organizer edits
/// (<c>content/groups/</c>, or the folder <c>PeerMatch__ContentPath</c> names): one item per "- " line, its name before
/// the first colon. Read again whenever a file changes, so an edit needs no restart.
/// </summary>
public sealed class GroupContent(IOptions<GroupOptions> options)
{
    public const string GroundRulesFile = "ground-rules.md";
    public const string OutlineFile = "meeting-outline.md";

    private readonly string _folder = Path.Combine(options.Value.ContentPath ?? Path.Combine(AppContext.BaseDirectory, "content"), "groups");
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (DateTime Written, IReadOnlyList<ContentItem> Items)> _read = new(StringComparer.Ordinal);

    public IReadOnlyList<ContentItem> GroundRules => Read(GroundRulesFile);

    public IReadOnlyList<ContentItem> Outline => Read(OutlineFile);

    /// <summary>A group's ground rules: its own copy once its convener edited the draft, else the draft.</summary>
    public IReadOnlyList<ContentItem> RulesOf(PeerMatch.Matching.Groups.PeerGroup group) => group.Rules is { } own ? Parse(own.Split('\n')) : GroundRules;

    /// <summary>Ground rules as the group's copy keeps them: one "- Name: text" line each.</summary>
    public static string Write(IEnumerable<ContentItem> items) =>
        string.Join('\n', items.Select(i => i.Name.Length > 0 ? $"- {i.Name}: {i.Text}" : $"- {i.Text}"));

    private IReadOnlyList<ContentItem> Read(string file)
    {
        var path = Path.Combine(_folder, file);
        var written = File.GetLastWriteTimeUtc(path);
        lock (_gate)
        {
            if (_read.TryGetValue(file, out var cached) && cached.Written == written)
            {
                return cached.Items;
            }
        }
        var items = Parse(File.ReadAllLines(path));
        if (items.Count == 0)
        {
            throw new InvalidOperationException($"{path} holds no items (lines starting with \"- \").");
        }
        lock (_gate)
        {
            _read[file] = (written, items);
        }
        return items;
    }

    public static IReadOnlyList<ContentItem> Parse(IEnumerable<string> lines) => lines
        .Select(l => l.Trim())
        .Where(l => l.StartsWith("- ", StringComparison.Ordinal))
        .Select(l => l[2..].Trim())
        .Select(l => l.IndexOf(':', StringComparison.Ordinal) is var colon and > 0 and < 60
            ? new ContentItem(l[..colon].Trim(), l[(colon + 1)..].Trim())
            : new ContentItem("", l))
        .ToList();
}
