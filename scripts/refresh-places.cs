// Regenerates src/PeerMatch.Core/Places/places.tsv, the names PeerMatch shows for countries,
// subdivisions and languages, from Debian's iso-codes package (apt-get install iso-codes):
//   dotnet run scripts/refresh-places.cs [/usr/share/iso-codes/json]
// iso-codes is maintained by the iso-codes team (salsa.debian.org/iso-codes-team/iso-codes), LGPL-2.1+.
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

var source = args.Length > 0 ? args[0] : "/usr/share/iso-codes/json";
var target = Path.Combine(AppContext.GetData("EntryPointFileDirectoryPath") as string ?? "scripts", "..", "src", "PeerMatch.Core", "Places", "places.tsv");

JsonElement Read(string file, string key) => JsonDocument.Parse(File.ReadAllText(Path.Combine(source, file))).RootElement.GetProperty(key);
string? Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.GetString() : null;

var version = File.Exists("/usr/share/doc/iso-codes/changelog.Debian.gz") ? "the installed iso-codes" : "iso-codes";
var lines = new List<string>
{
    $"# Names of countries (C), subdivisions (S, with their country) and languages (L), from {version} (ISO 3166-1, ISO 3166-2,",
    "# ISO 639-1 via ISO 639-2), LGPL-2.1+. Regenerate with: dotnet run scripts/refresh-places.cs",
};
foreach (var country in Read("iso_3166-1.json", "3166-1").EnumerateArray().OrderBy(c => Text(c, "alpha_2"), StringComparer.Ordinal))
{
    lines.Add($"C\t{Text(country, "alpha_2")}\t{Text(country, "common_name") ?? InWordOrder(Text(country, "name")!)}");
}
foreach (var subdivision in Read("iso_3166-2.json", "3166-2").EnumerateArray().OrderBy(s => Text(s, "code"), StringComparer.Ordinal))
{
    // "Catalunya [Cataluña]": the official name, without the alternative in brackets. The parent
    // (a subdivision a level up) tells a district from the division of the same name.
    var code = Text(subdivision, "code")!;
    var name = Regex.Replace(Text(subdivision, "name")!, @"\s*\[.*?\]", "");
    var parent = Text(subdivision, "parent") is { } up ? $"{code[..2]}-{up}" : "";
    lines.Add($"S\t{code}\t{name}\t{code[..2]}\t{parent}");
}
foreach (var language in Read("iso_639-2.json", "639-2").EnumerateArray().Where(l => Text(l, "alpha_2") is not null).OrderBy(l => Text(l, "alpha_2"), StringComparer.Ordinal))
{
    // The name people use: "Spanish; Castilian" → "Spanish", "Greek, Modern (1453-)" → "Greek", "Ndebele, North" → "North Ndebele".
    var name = Regex.Replace(Text(language, "name")!.Split(';')[0], @"\s*\(.*?\)", "");
    if (name.Split(", ") is [var main, var qualifier])
    {
        name = qualifier == "Modern" ? main : $"{qualifier} {main}";
    }
    lines.Add($"L\t{Text(language, "alpha_2")}\t{name}");
}
// "Virgin Islands, British" → "British Virgin Islands", "Palestine, State of" → "State of Palestine",
// "Congo, The Democratic Republic of the" → "Democratic Republic of the Congo"; "Bonaire, Sint Eustatius and Saba" stays.
static string InWordOrder(string name)
{
    if (name.Split(", ") is not [var main, var qualifier] || !(qualifier.EndsWith(" of", StringComparison.Ordinal) || qualifier.EndsWith(" of the", StringComparison.Ordinal) || !qualifier.Contains(' ')))
    {
        return name;
    }
    var ordered = $"{qualifier} {main}";
    return ordered.StartsWith("The ", StringComparison.Ordinal) ? ordered[4..] : ordered;
}

File.WriteAllText(target, string.Join('\n', lines) + "\n", new UTF8Encoding(false));
Console.WriteLine($"{lines.Count - 2} names written to {Path.GetFullPath(target)}");
