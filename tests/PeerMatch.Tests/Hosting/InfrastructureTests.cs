using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;
using PeerMatch.Functions.Hosting;

namespace PeerMatch.Tests.Hosting;

/// <summary>infra/ is deployable as written, and says what the code says: the runtime, and every timer's schedule.</summary>
public sealed class InfrastructureTests
{
    [Fact]
    public async Task Bicep_compiles_without_a_warning_to_a_flex_app_on_dotnet_isolated_10()
    {
        var (template, errors) = await BicepAsync("build", "--stdout");

        Assert.True(string.IsNullOrWhiteSpace(errors), errors);
        Assert.Contains("\"Microsoft.Resources/resourceGroups\"", template, StringComparison.Ordinal);
        var runtime = Find(JsonNode.Parse(template)!, "runtime").Single(r => r["name"] is not null);
        Assert.Equal("dotnet-isolated", runtime["name"]!.GetValue<string>());
        Assert.Equal("10.0", runtime["version"]!.GetValue<string>());
        Assert.DoesNotContain("FUNCTIONS_WORKER_RUNTIME", template, StringComparison.Ordinal); // not an app setting on Flex
    }

    [Fact]
    public async Task Bicep_lints_clean()
    {
        var (_, errors) = await BicepAsync("lint");

        Assert.True(string.IsNullOrWhiteSpace(errors), errors);
    }

    [Fact]
    public async Task Every_timer_schedule_setting_has_the_code_s_default_in_infra_and_in_local_settings()
    {
        var timers = FunctionCatalog.Discover(typeof(Program).Assembly).Functions.Where(f => f.Trigger == TriggerKind.Timer).ToList();
        var (template, _) = await BicepAsync("build", "--stdout");
        var appSettings = Find(JsonNode.Parse(template)!, "WeeklyMatchDigestSchedule").Single();
        var localSettings = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "src", "PeerMatch.Functions", "local.settings.json.example")))!["Values"]!;

        Assert.Equal(6, timers.Count);
        foreach (var timer in timers)
        {
            Assert.Matches("^%[A-Za-z]+%$", timer.Schedule);
            var setting = timer.Schedule![1..^1];
            Assert.NotNull(timer.DefaultSchedule);
            Assert.Equal(timer.DefaultSchedule, appSettings[setting]?.GetValue<string>());
            Assert.Equal(timer.DefaultSchedule, localSettings[setting]?.GetValue<string>());
        }
    }

    /// <summary>Runs the Bicep CLI (from its NuGet package) on infra/main.bicep; its output and its warnings or errors.</summary>
    private static async Task<(string Output, string Errors)> BicepAsync(string command, params string[] options)
    {
        var packages = typeof(InfrastructureTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "NuGetPackageRoot").Value!;
        var bicep = Path.Combine(packages, "azure.bicep.commandline.linux-x64", "0.49.2", "tools", "bicep");
        if (!OperatingSystem.IsWindows())
        {
            // NuGet extracts files without their execute bit.
            File.SetUnixFileMode(bicep, File.GetUnixFileMode(bicep) | UnixFileMode.UserExecute);
        }
        var start = new ProcessStartInfo(bicep) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(command);
        start.ArgumentList.Add(Path.Combine(RepositoryRoot(), "infra", "main.bicep"));
        foreach (var option in options)
        {
            start.ArgumentList.Add(option);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, errors);
        return (await output, errors);
    }

    /// <summary>Every object in the template that has a property named <paramref name="name"/> (the object, for objects holding settings; the value otherwise).</summary>
    private static IEnumerable<JsonNode> Find(JsonNode node, string name)
    {
        if (node is JsonObject obj)
        {
            foreach (var (key, value) in obj)
            {
                if (key == name && value is not null)
                {
                    yield return value is JsonObject ? value : obj;
                }
                if (value is not null)
                {
                    foreach (var found in Find(value, name))
                    {
                        yield return found;
                    }
                }
            }
        }
        else if (node is JsonArray array)
        {
            foreach (var item in array.OfType<JsonNode>())
            {
                foreach (var found in Find(item, name))
                {
                    yield return found;
                }
            }
        }
    }

    internal static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "PeerMatch.sln")))
        {
            folder = folder.Parent;
        }
        return folder?.FullName ?? throw new InvalidOperationException("PeerMatch.sln not found above the test output.");
    }
}
