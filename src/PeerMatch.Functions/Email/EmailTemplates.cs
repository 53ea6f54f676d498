using Microsoft.AspNetCore.Components;

namespace PeerMatch.Functions.Email;

/// <summary>
/// What every message carries besides what it says: whom it greets, the link to their profile, and the unsubscribe
/// link (a confirmation has none of the two links: it answers a sign-up not yet confirmed).
/// </summary>
public sealed record EmailFooter(string Name, Uri? ManageUrl = null, Uri? UnsubscribeUrl = null);

/// <summary>What a message says, as one typed record: a renamed field fails to compile, not at send time.</summary>
public interface IEmailModel
{
    EmailFooter Footer { get; }
}

/// <summary>An e-mail template: a Razor component whose one parameter is its model.</summary>
public interface IEmailTemplate<TModel> : IComponent where TModel : IEmailModel
{
    TModel Model { get; set; }
}
