using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using PeerMatch.Email;
using PeerMatch.Practitioners;

namespace PeerMatch.Functions.Email;

/// <summary>Renders an e-mail template (a Razor component) to its HTML part, and reads the text part from that HTML.</summary>
public sealed class EmailRenderer(IServiceScopeFactory scopes, ILoggerFactory loggers)
{
    public async Task<(string Html, string Text)> RenderAsync<TTemplate>(IDictionary<string, object?> parameters) where TTemplate : IComponent
    {
        // A renderer (and a scope for the services it asks for) per message: it keeps every component it rendered until disposed.
        await using var scope = scopes.CreateAsyncScope();
        await using var renderer = new HtmlRenderer(scope.ServiceProvider, loggers);
        var html = await renderer.Dispatcher.InvokeAsync(async () =>
            (await renderer.RenderComponentAsync<TTemplate>(ParameterView.FromDictionary(parameters))).ToHtmlString());
        return (html, HtmlToText.Convert(html));
    }

    /// <summary>A message to a practitioner from a template whose parameters include its <c>UnsubscribeUrl</c> (every kind but a confirmation has one).</summary>
    public async Task<EmailMessage> MessageAsync<TTemplate>(EmailKind kind, Practitioner recipient, string subject, IDictionary<string, object?> parameters)
        where TTemplate : IComponent
    {
        var (html, text) = await RenderAsync<TTemplate>(parameters);
        return new EmailMessage(kind, recipient.Profile.Email, recipient.Profile.Name, subject, text, html, (Uri)parameters["UnsubscribeUrl"]!);
    }
}
