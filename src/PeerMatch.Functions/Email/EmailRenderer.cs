using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

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
}
