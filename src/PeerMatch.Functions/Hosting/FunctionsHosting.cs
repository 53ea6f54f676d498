using Microsoft.Azure.Functions.Worker.Builder;
using PeerMatch.Functions.Settings;

namespace PeerMatch.Functions.Hosting;

/// <summary>Under the Azure Functions host: the isolated worker, with ASP.NET Core integration for HTTP.</summary>
public static class FunctionsHosting
{
    /// <summary>
    /// Whether the Functions host started this process: it passes its gRPC endpoint on the command line
    /// (<c>--functions-uri</c>, older hosts <c>--host</c>), and its native host (Flex Consumption) marks
    /// the app context. Started any other way (<c>dotnet PeerMatch.Functions.dll</c>), the app runs standalone.
    /// </summary>
    public static bool IsStartedByHost(string[] args) =>
        AppContext.GetData("AZURE_FUNCTIONS_NATIVE_HOST") is not null
        || args.Any(a => a.StartsWith("--functions-uri", StringComparison.Ordinal) || a == "--host")
        || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("Functions__Worker__HostEndpoint"));

    public static FunctionsApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = FunctionsApplication.CreateBuilder(args);
        builder.ConfigureFunctionsWebApplication();
        builder.UseMiddleware<WorkerHttpGate>();
        builder.Services.AddOptions<PeerMatchOptions>().Validate(o => o.TablePrefix.Length == 0,
            "PeerMatch:TablePrefix is for standalone runs only: under the Functions host the queue names in the triggers are fixed.");
        return builder;
    }
}
