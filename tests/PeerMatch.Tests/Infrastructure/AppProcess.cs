using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using PeerMatch.Tests.Hosting;

namespace PeerMatch.Tests.Infrastructure;

/// <summary>
/// The app as <c>scripts/run.sh</c> starts it: its own process (the Functions project's build output, standalone), on a
/// free loopback port, with the settings given. <see cref="Kill"/> stops it as a crash would (SIGKILL: no shutdown, no
/// finally blocks), so a test can see what a real crash leaves and what a restart makes of it.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private AppProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>The last lines the app wrote, to say what it was doing when a test fails.</summary>
    public string Tail => string.Join('\n', _output.TakeLast(40));

    public static async Task<AppProcess> StartAsync(IReadOnlyDictionary<string, string> settings)
    {
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(Output, "PeerMatch.Functions.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(address.AbsoluteUri.TrimEnd('/'));
        foreach (var (name, value) in settings)
        {
            start.Environment[name] = value;
        }
        var process = Process.Start(start)!;
        var app = new AppProcess(process, address);
        process.OutputDataReceived += (_, line) => app.Keep(line.Data);
        process.ErrorDataReceived += (_, line) => app.Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            await Eventually.UntilAsync(async () =>
            {
                Assert.False(process.HasExited, "The app stopped while starting:\n" + app.Tail);
                try
                {
                    using var health = await client.GetAsync("/api/health");
                    return health.StatusCode == HttpStatusCode.OK;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    return false; // not listening yet
                }
            }, "the app to answer", TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            await app.DisposeAsync();
            throw new TimeoutException("The app did not answer within a minute:\n" + app.Tail);
        }
        return app;
    }

    /// <summary>A client for the app, carrying the organizer key.</summary>
    public HttpClient OrganizerClient()
    {
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(150) };
        client.DefaultRequestHeaders.Add("x-functions-key", PeerMatchApp.OrganizerKey);
        return client;
    }

    /// <summary>Stops the process at once, as a crash or an out-of-memory kill would.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Kill();
        }
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
            while (_output.Count > 400 && _output.TryDequeue(out _))
            {
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The Functions project's own build output, which the test build has just made.</summary>
    public static string Output => Path.Combine(InfrastructureTests.RepositoryRoot(), "src", "PeerMatch.Functions", "bin", Configuration, "net10.0");

    private static string Configuration => typeof(AppProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
}
