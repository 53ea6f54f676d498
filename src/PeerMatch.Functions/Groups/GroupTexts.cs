namespace PeerMatch.Functions.Groups;

/// <summary>Words that pages and e-mails of groups share.</summary>
public static class GroupTexts
{
    /// <summary>What convening asks, after "What it asks:".</summary>
    public const string ConvenerDuties =
        "propose the first meeting from the times offered, open and close each meeting, keep time so everyone has room, and hold the group to its ground rules. About two hours a month; no expertise beyond your own practice is needed.";

    /// <summary>What convening asks, after "Ada will" / "You would".</summary>
    public const string ConvenerRole = "convene: " + ConvenerDuties;
}
