namespace PeerMatch.Matching.Groups;

/// <summary>Why no group has a seeker, as a kind that can be counted.</summary>
public enum NoGroupKind
{
    /// <summary>Nobody else seeking a group shares one of their models and a language.</summary>
    NobodyAlike,

    /// <summary>Others share a model and a language, but none can meet them.</summary>
    NoneCanMeet,

    /// <summary>Too few who share a model and a language can meet them (how many, when known).</summary>
    TooFewCanMeet,

    /// <summary>Enough could meet them, but the groups within reach are full.</summary>
    GroupsFull,
}

/// <summary>
/// Why no group has a seeker: the kind, and how many others could meet them (for <see cref="NoGroupKind.TooFewCanMeet"/>,
/// when counted). Turned into words only where they are shown: to the seeker (<see cref="ToSeeker"/>) and to an
/// organizer counting the gaps (<see cref="ToOrganizer"/>).
/// </summary>
public sealed record NoGroupReason(NoGroupKind Kind, int? Reachable = null)
{
    public static readonly NoGroupReason NobodyAlike = new(NoGroupKind.NobodyAlike);
    public static readonly NoGroupReason NoneCanMeet = new(NoGroupKind.NoneCanMeet);
    public static readonly NoGroupReason GroupsFull = new(NoGroupKind.GroupsFull);

    public static NoGroupReason TooFew(int? reachable = null) => new(NoGroupKind.TooFewCanMeet, reachable);

    public string ToSeeker() => Kind switch
    {
        NoGroupKind.NobodyAlike => "Nobody else looking for a peer group shares one of your mediation models and a language with you yet.",
        NoGroupKind.NoneCanMeet => $"Others looking for a peer group share your model and a language, but none can meet you: in person within {GroupFormation.InPersonReachKm:0} km, or online in shared working hours.",
        NoGroupKind.TooFewCanMeet when Reachable is { } count =>
            $"Only {count} other{(count == 1 ? "" : "s")} looking for a peer group share your model and a language and can meet you; a group needs {GroupFormation.MinimumSize}.",
        NoGroupKind.TooFewCanMeet => "Too few people looking for a group can meet you yet.",
        _ => "The groups within your reach are full, and too few are left for another; a new group can form as more people join.",
    };

    public string ToOrganizer() => Kind switch
    {
        NoGroupKind.NobodyAlike => "nobody seeking a group shares their model and a language",
        NoGroupKind.NoneCanMeet => "none who share their model and a language can meet them",
        NoGroupKind.TooFewCanMeet => "too few who share their model and a language can meet them",
        _ => "the groups within reach are full",
    };
}
