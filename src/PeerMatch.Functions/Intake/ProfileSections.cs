using PeerMatch.Practitioners;

namespace PeerMatch.Functions.Intake;

/// <summary>
/// A part of a practitioner's profile page that another feature adds (their peer groups, inviting a colleague): intake
/// shows what each registered section gives, in order, without knowing the features.
/// </summary>
public interface IProfileSection
{
    /// <summary>Where on the page: lower comes first, after the profile form.</summary>
    int Order { get; }

    /// <summary>The section for this practitioner (the page's own link token and request at hand), or null to show none.</summary>
    Task<ProfileSectionView?> ViewAsync(Practitioner practitioner, string token, HttpRequest request, CancellationToken cancellationToken);
}

/// <summary>A section of the profile page: a component, and its parameters.</summary>
public sealed record ProfileSectionView(Type Component, IDictionary<string, object?> Parameters);
