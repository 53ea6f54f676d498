namespace PeerMatch.Functions.Groups;

/// <summary>Peer groups' settings.</summary>
public sealed class GroupOptions
{
    /// <summary>
    /// The folder of content an organizer edits (the draft ground rules and the meeting outline of peer groups, in
    /// <c>groups/</c>); by default the <c>content</c> folder shipped beside the app.
    /// </summary>
    public string? ContentPath { get; set; }

}
