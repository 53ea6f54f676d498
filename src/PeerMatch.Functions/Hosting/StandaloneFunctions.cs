using System.Reflection;
using System.Runtime.ExceptionServices;
using PeerMatch.Functions.Http;

namespace PeerMatch.Functions.Hosting;

/// <summary>
/// Standalone (no Functions host): each HTTP function answers at <c>/{routePrefix}/{route}</c> for its
/// methods, through the same <see cref="HttpGate"/>, calling the same method the host would call.
/// </summary>
public static class StandaloneFunctions
{
    public static WebApplication MapFunctions(this WebApplication app)
    {
        // What the Functions host answers itself (no function at that route or method) gets the same headers and a problem body.
        app.UseStatusCodePages();
        app.Use((http, next) =>
        {
            HttpGate.ApplySecurityHeaders(http.Response);
            return next(http);
        });

        var catalog = app.Services.GetRequiredService<FunctionCatalog>();
        var prefix = app.Services.GetRequiredService<HostJson>().RoutePrefix;
        foreach (var function in catalog.Functions.Where(f => f.Trigger == TriggerKind.Http))
        {
            var path = string.IsNullOrEmpty(prefix) ? $"/{function.Route}" : $"/{prefix}/{function.Route}";
            app.MapMethods(path, function.HttpMethods!, async http =>
            {
                var gate = http.RequestServices.GetRequiredService<HttpGate>();
                var answer = await gate.RunAsync(http, function, async () =>
                    await InvokeAsync(function, http.RequestServices, parameter => BindHttp(parameter, http)) as IResult);
                await answer.ExecuteAsync(http);
            }).WithName(function.Name).WithDisplayName(function.Name);
        }
        return app;
    }

    /// <summary>
    /// Calls a function's method on a fresh instance of its class, built from <paramref name="services"/>
    /// as the Functions worker builds it, and returns what it returned (awaited).
    /// </summary>
    public static async Task<object?> InvokeAsync(FunctionDescriptor function, IServiceProvider services, Func<ParameterInfo, object?> bind)
    {
        var method = function.Method;
        var instance = method.IsStatic ? null : ActivatorUtilities.CreateInstance(services, method.DeclaringType!);
        try
        {
            var returned = method.Invoke(instance, method.GetParameters().Select(bind).ToArray());
            if (returned is not Task task)
            {
                return returned;
            }
            await task;
            return method.ReturnType.IsGenericType ? method.ReturnType.GetProperty(nameof(Task<object>.Result))!.GetValue(task) : null;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
        finally
        {
            if (instance is IAsyncDisposable asyncDisposable)
            {
                await asyncDisposable.DisposeAsync();
            }
            else
            {
                (instance as IDisposable)?.Dispose();
            }
        }
    }

    private static object? BindHttp(ParameterInfo parameter, HttpContext http) =>
        parameter.ParameterType == typeof(HttpRequest) ? http.Request
        : parameter.ParameterType == typeof(CancellationToken) ? http.RequestAborted
        : http.Request.RouteValues.TryGetValue(parameter.Name!, out var value) ? value?.ToString()
        : null;

    /// <summary>The standalone host: Kestrel on <c>--urls</c> (default http://localhost:7071), the routes, and the triggers.</summary>
    public static WebApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls("http://localhost:7071");
        }
        builder.Services.AddHostedService<StandaloneTriggers>();
        builder.Services.AddProblemDetails();
        return builder;
    }
}
