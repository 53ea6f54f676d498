using System.Text.RegularExpressions;

namespace PeerMatch.Tests.Hosting;

/// <summary>
/// The shape a newcomer can follow, kept by tests: plumbing that knows no feature, folders without circles, files and
/// methods of a readable size, and tests that wait for what they assert instead of sleeping.
/// </summary>
public sealed partial class ArchitectureTests
{
    private static readonly string Root = InfrastructureTests.RepositoryRoot();

    /// <summary>The plumbing every feature uses: it must not name one (a feature's name is a word of these).</summary>
    private static readonly string[] Plumbing =
    [
        "src/PeerMatch.Functions/Http", "src/PeerMatch.Functions/Hosting", "src/PeerMatch.Functions/Links", "src/PeerMatch.Functions/Storage",
        "src/PeerMatch.Functions/Email", "src/PeerMatch.Functions/Settings", "src/PeerMatch.Core/Email", "src/PeerMatch.Core/Links",
        "src/PeerMatch.Core/Validation",
    ];

    [Fact]
    public void Plumbing_names_no_feature()
    {
        var found = Plumbing.SelectMany(folder => Files(folder, "*.cs", "*.razor", "*.css", "*.js"))
            .SelectMany(file => File.ReadLines(file).Select((line, n) => (file, line, n)))
            .Where(x => FeatureName().IsMatch(x.line))
            .Select(x => $"{Path.GetRelativePath(Root, x.file)}:{x.n + 1}: {x.line.Trim()}")
            .ToList();

        Assert.True(found.Count == 0, string.Join("\n", found));
    }

    [Fact]
    public void The_app_s_folders_depend_on_each_other_without_a_circle()
    {
        var functions = Path.Combine(Root, "src", "PeerMatch.Functions");
        var folders = Directory.GetDirectories(functions).Select(Path.GetFileName).Where(f => f is not ("bin" or "obj")).ToHashSet()!;
        var uses = folders.ToDictionary(f => f!, f => Files(Path.Combine("src", "PeerMatch.Functions", f!), "*.cs", "*.razor")
            .SelectMany(file => FolderReference().Matches(File.ReadAllText(file)).Select(m => m.Groups[1].Value))
            .Where(used => used != f && folders.Contains(used))
            .ToHashSet());

        foreach (var start in uses.Keys)
        {
            var path = Circle(start, start, uses, [start]);
            Assert.True(path is null, $"A circle: {string.Join(" -> ", path ?? [])}");
        }
    }

    [Fact]
    public void No_file_in_src_is_over_400_lines_and_no_method_over_60()
    {
        var tooLong = new List<string>();
        foreach (var file in Files("src", "*.cs"))
        {
            var lines = File.ReadAllLines(file);
            if (lines.Length > 400)
            {
                tooLong.Add($"{Path.GetRelativePath(Root, file)}: {lines.Length} lines");
            }
            for (var i = 0; i + 1 < lines.Length; i++)
            {
                // A member's signature, then its body's opening brace on the next line at the same indent.
                if (MemberSignature().Match(lines[i]) is { Success: true } member && lines[i + 1] == member.Groups[1].Value + "{"
                    && !TypeDeclaration().IsMatch(lines[i]))
                {
                    var end = Array.IndexOf(lines, member.Groups[1].Value + "}", i + 1);
                    if (end - i + 1 > 60)
                    {
                        tooLong.Add($"{Path.GetRelativePath(Root, file)}:{i + 1}: {end - i + 1} lines: {lines[i].Trim()}");
                    }
                }
            }
        }

        Assert.True(tooLong.Count == 0, string.Join("\n", tooLong));
    }

    [Fact]
    public void Tests_wait_for_what_they_assert_and_never_sleep_a_fixed_time()
    {
        // The one wait helper, and stand-ins that answer slowly on purpose (a held SendGrid request, a slow sign-up).
        string[] allowed = ["Infrastructure/Eventually.cs", "Infrastructure/FakeSendGrid.cs", "Browser/SignUpBrowserTests.cs"];
        var sleeping = Files("tests", "*.cs")
            .Where(file => !allowed.Any(a => file.Replace('\\', '/').EndsWith(a, StringComparison.Ordinal)))
            .SelectMany(file => File.ReadLines(file).Select((line, n) => (file, line, n)))
            .Where(x => x.line.Contains("Task.Delay(", StringComparison.Ordinal) || x.line.Contains("Thread.Sleep(", StringComparison.Ordinal))
            .Where(x => !x.file.EndsWith(nameof(ArchitectureTests) + ".cs", StringComparison.Ordinal))
            .Select(x => $"{Path.GetRelativePath(Root, x.file)}:{x.n + 1}")
            .ToList();

        Assert.True(sleeping.Count == 0, string.Join("\n", sleeping));
    }

    private static List<string>? Circle(string start, string at, Dictionary<string, HashSet<string>> uses, List<string> path)
    {
        foreach (var next in uses[at])
        {
            if (next == start)
            {
                return [.. path, next];
            }
            if (!path.Contains(next) && Circle(start, next, uses, [.. path, next]) is { } circle)
            {
                return circle;
            }
        }
        return null;
    }

    private static IEnumerable<string> Files(string folder, params string[] patterns) =>
        patterns.SelectMany(p => Directory.EnumerateFiles(Path.Combine(Root, folder), p, SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    // Each feature's name, and the words only it uses (a campaign is the invitations feature's, a digest matching's).
    [GeneratedRegex(@"\b(intake|matching|groups?|invitations?|organizers?|campaigns?|shards?|suggestions?|digests?|coverage|conveners?)\b", RegexOptions.IgnoreCase)]
    private static partial Regex FeatureName();

    [GeneratedRegex(@"PeerMatch\.Functions\.([A-Z][A-Za-z]+)")]
    private static partial Regex FolderReference();

    [GeneratedRegex(@"^(\s+)(?:\[[^\]]*\]\s*)*(?:(?:public|private|internal|protected|static|async|override|sealed|virtual|readonly)\s+)+[^=;]*\)\s*$")]
    private static partial Regex MemberSignature();

    [GeneratedRegex(@"\b(class|record|struct|interface)\b")]
    private static partial Regex TypeDeclaration();
}
