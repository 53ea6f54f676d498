using System.Diagnostics;
using System.Reflection;

namespace PeerMatch.Tests.Hosting;

/// <summary>infra/ is deployable as written: the Bicep compiles, and its linter finds nothing.</summary>
public sealed class InfrastructureTests
{
    [Theory]
    [InlineData("build")]
    [InlineData("lint")]
    public async Task Bicep_compiles_and_lints_without_a_warning(string command)
    {
        var packages = typeof(InfrastructureTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "NuGetPackageRoot").Value!;
        var bicep = Path.Combine(packages, "azure.bicep.commandline.linux-x64", "0.49.2", "tools", "bicep");
        if (!OperatingSystem.IsWindows())
        {
            // NuGet extracts files without their execute bit.
            File.SetUnixFileMode(bicep, File.GetUnixFileMode(bicep) | UnixFileMode.UserExecute);
        }
        var main = Path.Combine(RepositoryRoot(), "infra", "main.bicep");
        var arguments = command == "build" ? $"build \"{main}\" --stdout" : $"lint \"{main}\"";

        using var process = Process.Start(new ProcessStartInfo(bicep, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, errors);
        Assert.True(string.IsNullOrWhiteSpace(errors), errors);
        if (command == "build")
        {
            Assert.Contains("\"Microsoft.Resources/resourceGroups\"", await output, StringComparison.Ordinal);
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
