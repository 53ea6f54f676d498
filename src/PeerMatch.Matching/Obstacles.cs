using System.Globalization;
using PeerMatch.Places;

namespace PeerMatch.Matching;

/// <summary>
/// Why nobody was suggested to someone this week, in words for them: the obstacle (no shared language,
/// nobody within reach in person, no overlapping working hours online, everyone already suggested)
/// and the one change to their own profile that would help most.
/// </summary>
public static class Obstacles
{
    /// <summary>Past this many pairs looked at in one run, each person is compared with a sample of the others.</summary>
    public const long MaxPairs = 20_000_000;

    /// <summary>
    /// The kind of obstacle an <see cref="Explain"/> text names, in an organizer's words: the texts carry each person's
    /// own languages and counts, the kinds can be counted. A text of another form is kept as its first sentence.
    /// </summary>
    public static string Kind(string explanation) => explanation switch
    {
        _ when explanation.StartsWith("Nobody on PeerMatch yet works in", StringComparison.Ordinal) => "no one else works in their languages",
        _ when explanation.Contains("is within reach of you for meeting in person", StringComparison.Ordinal) => "nobody within reach in person",
        _ when explanation.Contains("shares at least two working hours with you, for meeting online", StringComparison.Ordinal) => "no shared working hours online",
        _ when explanation.Contains("is within reach of you in person or shares", StringComparison.Ordinal) => "nobody within reach in person or online",
        _ when explanation.Contains("is in a peer group with you already", StringComparison.Ordinal) => "everyone within reach is in their peer group",
        _ when explanation.Contains("is in a peer group with you, has been suggested", StringComparison.Ordinal) => "everyone within reach is in their peer group or was suggested recently",
        _ when explanation.Contains("has been suggested to you in the last 12 weeks", StringComparison.Ordinal) => "everyone within reach was suggested recently",
        _ when explanation.Contains("already has this week's suggestions", StringComparison.Ordinal) => "everyone within reach was full that week",
        _ when explanation.Contains("suited others more closely", StringComparison.Ordinal) => "others suited their peers more closely",
        _ => FirstSentence(explanation),
    };

    internal static string FirstSentence(string text) => text.IndexOf(". ", StringComparison.Ordinal) is var end and >= 0 ? text[..(end + 1)] : text;

    /// <param name="mayBeSuggested">Whether the pair may be suggested at all (not suggested recently, nobody said no).</param>
    /// <param name="hasRoom">Whether someone can take another suggestion this week.</param>
    /// <param name="shareAGroup">Whether the two are in one peer group (so not suggested to each other).</param>
    public static string Explain(MatchProfile person, IReadOnlyList<MatchProfile> everyone, Func<int, int, bool> mayBeSuggested, Func<int, bool> hasRoom, int silentCount,
        Func<int, int, bool>? shareAGroup = null)
    {
        var stride = Math.Max(1, (int)Math.Ceiling((double)silentCount * everyone.Count / MaxPairs));
        var counts = new Counts();
        var languagesOfOthers = new Dictionary<int, int>();
        for (var i = person.Index % stride; i < everyone.Count; i += stride)
        {
            var other = everyone[i];
            if (other.Index == person.Index)
            {
                continue;
            }
            var nearby = PairFeatures.Within(person, other, PairFeatures.NearKm);
            var hoursShared = PairFeatures.SharedWorkingHours(person, other) >= 2;
            var meetsNow = (person.InPerson && other.InPerson && nearby) || (person.Online && other.Online && hoursShared);
            var meetsIfEither = (other.InPerson && nearby) || (other.Online && hoursShared);
            if (MatchProfile.SharedCount(person.Languages, other.Languages) == 0)
            {
                if (meetsNow)
                {
                    foreach (var language in other.Languages)
                    {
                        languagesOfOthers[language] = languagesOfOthers.GetValueOrDefault(language) + 1;
                    }
                }
                continue;
            }
            counts.ShareLanguage += stride;
            counts.MeetIfEither += meetsIfEither ? stride : 0;
            if (meetsNow)
            {
                counts.CanMeet += stride;
                if (mayBeSuggested(person.Index, other.Index))
                {
                    counts.Available += stride;
                    counts.WithRoom += hasRoom(other.Index) ? stride : 0;
                }
                else if (shareAGroup?.Invoke(person.Index, other.Index) == true)
                {
                    counts.InYourGroup += stride;
                }
            }
        }
        var bestLanguage = languagesOfOthers.Count == 0 ? ((string Name, int Count)?)null
            : languagesOfOthers.OrderByDescending(l => l.Value).Select(l => (PlaceNames.Language(Featurizer.LanguageCode(l.Key)), l.Value * stride)).First();
        return Describe(person, counts, bestLanguage, approximate: stride > 1);
    }

    private static string Describe(MatchProfile person, Counts counts, (string Name, int Count)? bestLanguage, bool approximate)
    {
        var yourLanguages = JoinOr(person.Profile.Languages.Select(PlaceNames.Language));
        string Many(int n) => (approximate ? "about " : "") + n.ToString(CultureInfo.InvariantCulture) + (n == 1 ? " practitioner" : " practitioners");
        var either = person.InPerson && person.Online;
        var chooseEither = !either && counts.MeetIfEither > counts.CanMeet
            ? $" Choosing “in person or online” in your profile would help most: {Many(counts.MeetIfEither)} who work in {yourLanguages} could then meet you."
            : null;
        var addLanguage = bestLanguage is { } language
            ? $" If you also work in {language.Name}, adding it to your profile would help most: {Many(language.Count)} who could meet you {(language.Count == 1 ? "works" : "work")} in it."
            : null;

        if (counts.ShareLanguage == 0)
        {
            return $"Nobody on PeerMatch yet works in {yourLanguages}." + (addLanguage ?? " As more practitioners join, suggestions will follow.");
        }
        if (counts.CanMeet == 0)
        {
            var obstacle = person.InPerson && !person.Online
                ? $"Nobody who works in {yourLanguages} is within reach of you for meeting in person (about {PairFeatures.NearKm:0} km)."
                : !person.InPerson
                    ? $"Nobody who works in {yourLanguages} shares at least two working hours with you, for meeting online."
                    : $"Nobody who works in {yourLanguages} is within reach of you in person or shares at least two working hours with you online.";
            return obstacle + (chooseEither ?? addLanguage
                ?? $" Check that your time zone ({person.Profile.Region.TimeZone.Replace('_', ' ')}) and your country and region are right: they decide who can meet you.");
        }
        if (counts.Available == 0 && counts.InYourGroup == counts.CanMeet)
        {
            return $"Everyone who could meet you ({Many(counts.CanMeet)}) is in a peer group with you already: you meet them there."
                + (chooseEither ?? addLanguage ?? " New practitioners join every week: suggestions will follow.");
        }
        if (counts.Available == 0 && counts.InYourGroup > 0)
        {
            return $"Everyone who could meet you ({Many(counts.CanMeet)}) is in a peer group with you, has been suggested to you in the last 12 weeks, or one of you said “not now”."
                + (chooseEither ?? addLanguage ?? " New practitioners join every week: suggestions will follow.");
        }
        if (counts.Available == 0)
        {
            return $"Everyone who could meet you ({Many(counts.CanMeet)}) has been suggested to you in the last 12 weeks, or one of you said “not now”."
                + (chooseEither ?? addLanguage ?? " New practitioners join every week: suggestions will follow.");
        }
        // Those in a group with them are named too: otherwise "everyone who could meet you (1 practitioner)" reads as wrong.
        var groupmates = counts.InYourGroup == 0 ? ""
            : $" {(counts.InYourGroup == 1 ? "One more is" : $"{(approximate ? "About " : "")}{counts.InYourGroup.ToString(CultureInfo.InvariantCulture)} more are")} in a peer group with you: you meet them there.";
        if (counts.WithRoom == 0)
        {
            return $"{(counts.InYourGroup > 0 ? "Everyone else" : "Everyone")} who could meet you ({Many(counts.Available)}) already has this week's suggestions. Yours come next week."
                + groupmates;
        }
        return $"The {Many(counts.Available)} who could meet you suited others more closely this week, or you less closely." + groupmates
            + (chooseEither ?? (person.Profile.PracticeAreas.Count == 0
                ? " Adding your practice areas to your profile helps us see who suits you."
                : " New practitioners join every week: suggestions will follow."));
    }

    private static string JoinOr(IEnumerable<string> items)
    {
        var list = items.ToList();
        return list.Count <= 1 ? string.Concat(list) : string.Join(", ", list.Take(list.Count - 1)) + " or " + list[^1];
    }

    private sealed class Counts
    {
        public int ShareLanguage;
        public int MeetIfEither;
        public int CanMeet;
        public int Available;
        public int WithRoom;
        public int InYourGroup;
    }
}
