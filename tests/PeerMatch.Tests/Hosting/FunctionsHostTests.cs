using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker.Core.FunctionMetadata;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PeerMatch.Functions.Hosting;
using PeerMatch.Functions.Settings;
using PeerMatch.Tests.Infrastructure;

namespace PeerMatch.Tests.Hosting;

/// <summary>
/// The isolated-worker app the Functions host expects, and its agreement with the standalone runner:
/// one declaration of each route, schedule and queue, read by both.
/// </summary>
public sealed class FunctionsHostTests
{
    [Fact]
    public async Task The_generated_metadata_and_the_standalone_runner_declare_the_same_functions()
    {
        var metadata = GeneratedMetadata();
        await using var app = new PeerMatchApp();
        _ = app.Server;
        var configuration = app.Services.GetRequiredService<IConfiguration>();
        var catalog = app.Services.GetRequiredService<FunctionCatalog>();
        var routes = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .ToDictionary(e => e.Metadata.GetMetadata<IEndpointNameMetadata>()!.EndpointName);

        Assert.Equal(metadata.Keys.Order(), catalog.Functions.Select(f => f.Name).Order());
        // Counted by hand: a function that loses its attribute (and so both declarations) is caught here.
        Assert.Equal(63, metadata.Count);
        Assert.Equal(PeerMatch.Links.Routes.Prefix, app.Services.GetRequiredService<HostJson>().RoutePrefix);
        foreach (var (name, trigger) in metadata)
        {
            var function = catalog.Get(name);
            switch (trigger["type"]!.GetValue<string>())
            {
                case "httpTrigger":
                    var served = routes[name];
                    Assert.Equal("/api/" + trigger["route"]!.GetValue<string>(), served.RoutePattern.RawText);
                    Assert.Equal(trigger["methods"]!.AsArray().Select(m => m!.GetValue<string>().ToUpperInvariant()),
                        served.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods);
                    break;
                case "timerTrigger":
                    Assert.Equal(TriggerKind.Timer, function.Trigger);
                    Assert.Equal(trigger["schedule"]!.GetValue<string>(), function.Schedule);
                    Assert.NotNull(StandaloneTriggers.Schedule(function, configuration).GetNextOccurrence(DateTime.UtcNow));
                    break;
                case "queueTrigger":
                    Assert.Equal(TriggerKind.Queue, function.Trigger);
                    Assert.Equal(trigger["queueName"]!.GetValue<string>(), function.QueueName);
                    break;
                default:
                    Assert.Fail($"{name}: unexpected trigger {trigger["type"]}");
                    break;
            }
        }
        // Standalone serves no route that is not a function.
        Assert.All(routes.Values, r => Assert.Contains(r.Metadata.GetMetadata<IEndpointNameMetadata>()!.EndpointName, metadata.Keys));
    }

    [Fact]
    public void The_build_output_is_an_isolated_worker_app_and_src_has_no_hand_written_function_json()
    {
        var output = FunctionsOutput();

        var worker = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "worker.config.json")))!["description"]!;
        Assert.Equal("dotnet-isolated", worker["language"]!.GetValue<string>());
        Assert.Equal("PeerMatch.Functions.dll", worker["defaultWorkerPath"]!.GetValue<string>());
        Assert.True(Directory.Exists(Path.Combine(output, ".azurefunctions")));
        var host = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "host.json")))!;
        Assert.Null(host["customHandler"]);
        Assert.Null(host["extensionBundle"]);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(InfrastructureTests.RepositoryRoot(), "src"), "function.json", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Publishing_as_azd_does_gives_the_folder_the_host_runs()
    {
        var folder = Path.Combine(Path.GetTempPath(), "peermatch-publish-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            // azd: dotnet publish <project> -c Release --output <folder>, no runtime identifier.
            var project = Path.Combine(InfrastructureTests.RepositoryRoot(), "src", "PeerMatch.Functions");
            using var publish = Process.Start(new ProcessStartInfo("dotnet", ["publish", project, "-c", Configuration, "--no-build", "--output", folder, "-nologo"])
            {
                RedirectStandardOutput = true, RedirectStandardError = true,
            })!;
            var log = await publish.StandardOutput.ReadToEndAsync() + await publish.StandardError.ReadToEndAsync();
            await publish.WaitForExitAsync();

            Assert.True(publish.ExitCode == 0, log);
            foreach (var file in new[] { "host.json", "functions.metadata", "worker.config.json", "PeerMatch.Functions.dll", "extensions.json" })
            {
                Assert.True(File.Exists(Path.Combine(folder, file)), $"{file} is missing from the package.");
            }
            Assert.True(Directory.Exists(Path.Combine(folder, ".azurefunctions")));
            Assert.False(File.Exists(Path.Combine(folder, "local.settings.json")));
            Assert.Equal(GeneratedMetadata().Keys.Order(), GeneratedMetadata(folder).Keys.Order());
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    [Fact]
    public async Task Under_the_functions_host_the_worker_builds_every_function_and_reports_the_same_metadata()
    {
        using var host = WorkerHost.Build($"PeerMatch:OrganizerKey={PeerMatchApp.OrganizerKey}", $"AzureWebJobsStorage={PeerMatchApp.StorageConnection}");

        var catalog = host.Services.GetRequiredService<FunctionCatalog>();
        using var scope = host.Services.CreateScope();
        foreach (var type in catalog.Functions.Select(f => f.Method.DeclaringType!).Distinct())
        {
            Assert.NotNull(ActivatorUtilities.CreateInstance(scope.ServiceProvider, type));
        }
        Assert.NotNull(host.Services.GetRequiredService<WorkerHttpGate>());
        Assert.Equal(PeerMatchApp.OrganizerKey, host.Services.GetRequiredService<IOptions<PeerMatch.Functions.Access.AccessOptions>>().Value.OrganizerKey);
        // With worker indexing, the host takes the functions from the worker: they must be the generated ones.
        var reported = await host.Services.GetRequiredService<IFunctionMetadataProvider>().GetFunctionMetadataAsync(AppContext.BaseDirectory);
        Assert.Equal(GeneratedMetadata().Keys.Order(), reported.Select(f => f.Name!).Order());
    }

    [Fact]
    public void Under_the_functions_host_a_table_prefix_is_refused_at_start()
    {
        using var host = WorkerHost.Build($"PeerMatch:OrganizerKey={PeerMatchApp.OrganizerKey}", "PeerMatch:TablePrefix=abc");

        var refused = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<PeerMatchOptions>>().Value);
        Assert.Contains("TablePrefix", refused.Message, StringComparison.Ordinal);
    }

    /// <summary>Each function's trigger binding, by function name, from the functions.metadata the Worker SDK generated.</summary>
    private static Dictionary<string, JsonObject> GeneratedMetadata(string? folder = null)
    {
        var functions = JsonNode.Parse(File.ReadAllText(Path.Combine(folder ?? FunctionsOutput(), "functions.metadata")))!.AsArray();
        return functions.ToDictionary(
            f => f!["name"]!.GetValue<string>(),
            f => f!["bindings"]!.AsArray().Single(b => b!["type"]!.GetValue<string>().EndsWith("Trigger", StringComparison.Ordinal))!.AsObject());
    }

    private static string Configuration =>
        typeof(FunctionsHostTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;

    private static string FunctionsOutput() => AppProcess.Output;
}
