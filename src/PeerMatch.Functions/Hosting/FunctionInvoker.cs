using System.Text.Json;

namespace PeerMatch.Functions.Hosting;

/// <summary>Runs a timer or queue function by name, in its own DI scope; shared by both hosting modes.</summary>
public sealed class FunctionInvoker(IServiceScopeFactory scopes, FunctionCatalog catalog)
{
    public bool CanInvoke(string name) => catalog.Find(name) is { Trigger: not TriggerKind.Http };

    public async Task<InvocationResult> InvokeAsync(string name, JsonElement data, JsonElement metadata, CancellationToken cancellationToken)
    {
        var definition = catalog.Find(name) ?? throw new InvalidOperationException($"No function named {name}.");
        await using var scope = scopes.CreateAsyncScope();
        var function = scope.ServiceProvider.GetRequiredKeyedService<IInvokedFunction>(definition.Name);
        return await function.InvokeAsync(new Invocation(definition.Name, data, metadata), cancellationToken);
    }

    /// <summary>Fails start-up when a timer or queue function.json has no code behind it.</summary>
    public static void EnsureEveryFunctionIsImplemented(FunctionCatalog catalog, IServiceProvider services)
    {
        var registered = services.GetRequiredService<IServiceProviderIsKeyedService>();
        var missing = catalog.Functions
            .Where(f => f.Trigger != TriggerKind.Http)
            .Where(f => !registered.IsKeyedService(typeof(IInvokedFunction), f.Name))
            .Select(f => f.Name)
            .ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException($"function.json without an implementation: {string.Join(", ", missing)}.");
        }
    }
}

public static class FunctionRegistration
{
    /// <summary>Registers the code behind the <c>&lt;name&gt;/function.json</c> of a timer or queue function.</summary>
    public static IServiceCollection AddInvokedFunction<TFunction>(this IServiceCollection services, string name)
        where TFunction : class, IInvokedFunction =>
        services.AddKeyedScoped<IInvokedFunction, TFunction>(name);
}
