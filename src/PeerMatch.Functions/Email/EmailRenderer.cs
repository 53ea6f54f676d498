using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using PeerMatch.Email;
using PeerMatch.Practitioners;

namespace PeerMatch.Functions.Email;

/// <summary>Renders an e-mail template (a Razor component) to its HTML part, and reads the text part from that HTML.</summary>
public sealed class EmailRenderer(IServiceScopeFactory scopes, ILoggerFactory loggers)
{
    public async Task<(string Html, string Text)> RenderAsync<TTemplate, TModel>(TModel model)
        where TTemplate : IEmailTemplate<TModel>
        where TModel : IEmailModel
    {
        // A renderer (and a scope for the services it asks for) per message: it keeps every component it rendered until disposed.
        await using var scope = scopes.CreateAsyncScope();
        await using var renderer = new HtmlRenderer(scope.ServiceProvider, loggers);
        var parameters = ParameterView.FromDictionary(new Dictionary<string, object?> { [nameof(IEmailTemplate<TModel>.Model)] = model });
        var html = await renderer.Dispatcher.InvokeAsync(async () => (await renderer.RenderComponentAsync<TTemplate>(parameters)).ToHtmlString());
        return (html, HtmlToText.Convert(html));
    }

    /// <summary>A message to a practitioner: the model's footer names them and carries the unsubscribe link its kind needs.</summary>
    public async Task<EmailMessage> MessageAsync<TTemplate, TModel>(EmailKind kind, Practitioner recipient, string subject, TModel model)
        where TTemplate : IEmailTemplate<TModel>
        where TModel : IEmailModel
    {
        var (html, text) = await RenderAsync<TTemplate, TModel>(model);
        return new EmailMessage(kind, recipient.Profile.Email, recipient.Profile.Name, subject, text, html, model.Footer.UnsubscribeUrl);
    }
}
