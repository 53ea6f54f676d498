using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace PeerMatch.Functions.Hosting;

public static class Telemetry
{
    public const string ConnectionSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>
    /// OpenTelemetry traces, metrics and logs to Azure Monitor when <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c>
    /// is set; otherwise logs go to the console (standalone) or to the Functions host.
    /// </summary>
    public static IHostApplicationBuilder AddTelemetry(this IHostApplicationBuilder builder, bool underFunctionsHost)
    {
        if (builder.Configuration[ConnectionSetting] is not { Length: > 0 } connection)
        {
            return builder;
        }
        var telemetry = builder.Services.AddOpenTelemetry();
        if (underFunctionsHost)
        {
            // The host records each request and invocation; the worker's spans and logs join them.
            telemetry.UseFunctionsWorkerDefaults();
        }
        else
        {
            // Query strings carry link tokens and access keys: never recorded, whatever the instrumentation's defaults.
            telemetry.WithTracing(tracing => tracing.AddAspNetCoreInstrumentation(options => options.EnrichWithHttpRequest = (span, _) => span.SetTag("url.query", null)))
                .WithMetrics(metrics => metrics.AddAspNetCoreInstrumentation());
        }
        telemetry
            .WithTracing(tracing => tracing.AddHttpClientInstrumentation())
            .WithMetrics(metrics => metrics.AddHttpClientInstrumentation())
            .UseAzureMonitorExporter(options =>
            {
                options.ConnectionString = connection;
                options.Credential = EntraCredential(builder.Configuration["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]);
            });
        return builder;
    }

    /// <summary>
    /// Application Insights without local auth takes Entra tokens. The Functions host reads
    /// <c>APPLICATIONINSIGHTS_AUTHENTICATION_STRING</c> ("ClientId=…;Authorization=AAD"); the worker's exporter is given the same identity.
    /// </summary>
    private static ManagedIdentityCredential? EntraCredential(string? authentication)
    {
        if (string.IsNullOrEmpty(authentication) || !authentication.Contains("Authorization=AAD", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var clientId = authentication.Split(';').Select(p => p.Split('=', 2)).FirstOrDefault(p => p.Length == 2 && p[0].Trim().Equals("ClientId", StringComparison.OrdinalIgnoreCase))?[1].Trim();
        return string.IsNullOrEmpty(clientId) ? new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned) : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
    }
}
