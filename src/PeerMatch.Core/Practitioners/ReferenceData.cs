using System.Collections.Frozen;

namespace PeerMatch.Practitioners;

/// <summary>The closed vocabularies of the intake form (SPEC, "Intake body"), and the words people read for them.</summary>
public static class ReferenceData
{
    public static readonly IReadOnlyList<string> Models =
        ["understanding-based", "facilitative", "transformative", "evaluative", "narrative", "insight", "collaborative", "other"];

    public static readonly IReadOnlyList<string> PracticeAreas =
        ["family", "divorce", "workplace", "commercial", "community", "elder", "estate", "school", "healthcare", "restorative", "international", "other"];

    public static readonly IReadOnlyList<string> Seeking =
        ["peer-group", "case-consultation", "co-mediation", "mentor", "mentee", "looping-practice", "business-development"];

    public static readonly IReadOnlyList<string> MeetingPreferences = ["in-person", "online", "either"];

    private static readonly FrozenDictionary<string, string> Labels = new Dictionary<string, string>
    {
        ["understanding-based"] = "Understanding-based",
        ["facilitative"] = "Facilitative",
        ["transformative"] = "Transformative",
        ["evaluative"] = "Evaluative",
        ["narrative"] = "Narrative",
        ["insight"] = "Insight",
        ["collaborative"] = "Collaborative",
        ["family"] = "Family",
        ["divorce"] = "Divorce and separation",
        ["workplace"] = "Workplace",
        ["commercial"] = "Commercial",
        ["community"] = "Community",
        ["elder"] = "Elder",
        ["estate"] = "Estates and inheritance",
        ["school"] = "School",
        ["healthcare"] = "Health care",
        ["restorative"] = "Restorative justice",
        ["international"] = "International",
        ["peer-group"] = "A peer support group",
        ["case-consultation"] = "Case consultation",
        ["co-mediation"] = "Co-mediation",
        ["mentor"] = "A mentor",
        ["mentee"] = "Someone to mentor",
        ["looping-practice"] = "Looping practice",
        ["business-development"] = "Business development",
        ["in-person"] = "In person",
        ["online"] = "Online",
        ["either"] = "In person or online",
        ["other"] = "Other",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The words the form shows for a value: "co-mediation" → "Co-mediation", "estate" → "Estates and inheritance".</summary>
    public static string Label(string value) => Labels.GetValueOrDefault(value, value);

    /// <summary>The same words inside a sentence: "both practise understanding-based and narrative mediation".</summary>
    public static string InSentence(string value) => Label(value) is var label && label.Length > 1 && !char.IsUpper(label[1])
        ? char.ToLowerInvariant(label[0]) + label[1..]
        : label;
}
