using PeerMatch.Practitioners;

namespace PeerMatch.Matching;

/// <summary>Someone who can be matched this week: confirmed, not paused, not unsubscribed.</summary>
public sealed record Candidate(string Id, Profile Profile);
