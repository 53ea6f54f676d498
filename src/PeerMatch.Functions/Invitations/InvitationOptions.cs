using System.ComponentModel.DataAnnotations;

namespace PeerMatch.Functions.Invitations;

/// <summary>Invitations' settings.</summary>
public sealed class InvitationOptions
{
    /// <summary>
    /// The first wait before an invitation batch is tried again after a 5xx or a timeout; each later wait doubles (up
    /// to an hour). A 429's Retry-After is honoured instead.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan InvitationRetryDelay { get; set; } = TimeSpan.FromSeconds(30);
}
