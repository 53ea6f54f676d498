using PeerMatch.Links;

namespace PeerMatch.Intake;

/// <summary>What intake's links let their holder do.</summary>
public static class IntakeTokens
{
    /// <summary>Confirms a sign-up: a week to follow it.</summary>
    public static readonly TokenPurpose Confirm = new("Confirm", TimeSpan.FromDays(7));

    /// <summary>Opens a practitioner's own profile (edit, pause, export, erase, invite).</summary>
    public static readonly TokenPurpose Manage = new("Manage", TimeSpan.FromDays(30));
}
