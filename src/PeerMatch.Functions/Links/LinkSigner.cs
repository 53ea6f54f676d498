using Microsoft.Extensions.Options;
using PeerMatch.Functions.Settings;
using PeerMatch.Links;
using PeerMatch.Practitioners;

namespace PeerMatch.Functions.Links;

/// <summary>
/// Issues and checks the tokens in e-mailed links, with the key kept in storage, and writes links as people open them
/// (absolute, from <c>PeerMatch__PublicBaseUrl</c>). Each feature's own links (its routes, its token purposes) are
/// built on this.
/// </summary>
public sealed class LinkSigner(SigningKeyStore keys, TimeProvider clock, IOptions<PeerMatchOptions> options)
{
    private readonly string _base = options.Value.PublicBaseUrl.AbsoluteUri.TrimEnd('/');

    /// <summary>A token for <paramref name="purpose"/> about <paramref name="subject"/>, good for the purpose's lifetime from now.</summary>
    public async Task<string> IssueAsync(TokenPurpose purpose, string subject, CancellationToken cancellationToken)
    {
        var key = await keys.GetAsync(cancellationToken);
        return LinkToken.Create(key, purpose, subject, clock.GetUtcNow() + purpose.Lifetime);
    }

    /// <summary>An absolute link to <paramref name="route"/> (its one parameter filled in) carrying a new token for <paramref name="purpose"/>.</summary>
    public async Task<Uri> UrlAsync(string route, TokenPurpose purpose, string subject, string? parameter, CancellationToken cancellationToken) =>
        new(_base + Routes.WithToken(route, await IssueAsync(purpose, subject, cancellationToken), parameter));

    /// <summary>An absolute link to a page that needs no token.</summary>
    public Uri Url(string route) => new(_base + Routes.Path(route));

    /// <summary>Whether the token is valid for <paramref name="purpose"/> (with its subject), expired, or not a token of ours.</summary>
    public async Task<(TokenState State, string Subject)> CheckAsync(string? token, TokenPurpose purpose, CancellationToken cancellationToken)
    {
        if (!LinkToken.IsWellFormed(token))
        {
            return (TokenState.Invalid, "");
        }
        var key = await keys.GetAsync(cancellationToken);
        var state = LinkToken.Check(key, token, purpose, clock.GetUtcNow(), out var subject);
        return (state, subject);
    }

    /// <summary>The practitioner a link opens, or what is wrong with the link.</summary>
    public async Task<(Practitioner? Practitioner, Http.LinkProblem Problem)> OpenAsync(string? token, TokenPurpose purpose, IPractitionerRepository repository, CancellationToken cancellationToken)
    {
        var (state, id) = await CheckAsync(token, purpose, cancellationToken);
        if (state != TokenState.Valid)
        {
            return (null, Http.LinkProblems.From(state));
        }
        return await repository.GetAsync(id, cancellationToken) is { } practitioner ? (practitioner, default) : (null, Http.LinkProblem.Gone);
    }

    /// <summary>A token's subject when it opens one thing (one record of a feature's) for one person.</summary>
    public static string ScopedSubject(string practitionerId, string thingId) => $"{practitionerId}:{thingId}";

    /// <summary>A link that opens one thing (<paramref name="thingId"/>, which is also the route's parameter) for one person.</summary>
    public Task<Uri> ScopedUrlAsync(string route, TokenPurpose purpose, string practitionerId, string thingId, CancellationToken cancellationToken) =>
        UrlAsync(route, purpose, ScopedSubject(practitionerId, thingId), thingId, cancellationToken);

    /// <summary>
    /// The practitioner a token about one thing was issued to, when it is valid for
    /// <paramref name="thingId"/>.
    /// </summary>
    public async Task<(TokenState State, string PractitionerId)> CheckScopedAsync(string? token, TokenPurpose purpose, string thingId, CancellationToken cancellationToken)
    {
        var (state, subject) = await CheckAsync(token, purpose, cancellationToken);
        var separator = subject.IndexOf(':', StringComparison.Ordinal);
        return state != TokenState.Valid ? (state, "")
            : separator > 0 && subject[(separator + 1)..] == thingId ? (state, subject[..separator])
            : (TokenState.Invalid, "");
    }
}
