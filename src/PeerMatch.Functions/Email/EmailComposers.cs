using PeerMatch.Email;
using PeerMatch.Practitioners;

namespace PeerMatch.Functions.Email;

/// <summary>
/// Turns e-mail jobs of some kinds into messages. Each feature registers one for the kinds it sends,
/// so the e-mail worker knows no feature: it claims, asks the composer, and sends.
/// </summary>
public interface IEmailComposer
{
    IReadOnlyCollection<EmailKind> Kinds { get; }

    /// <summary>The message for <paramref name="job"/>, or null when there is nothing left to say (the peer it names is gone).</summary>
    Task<EmailMessage?> ComposeAsync(EmailJob job, Practitioner recipient, CancellationToken cancellationToken);
}

public static class EmailComposerRegistration
{
    public static IServiceCollection AddEmailComposer<TComposer>(this IServiceCollection services)
        where TComposer : class, IEmailComposer =>
        services.AddSingleton<IEmailComposer, TComposer>();
}
