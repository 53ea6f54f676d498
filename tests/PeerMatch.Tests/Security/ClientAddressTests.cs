using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PeerMatch.Functions.Hosting;
using PeerMatch.Functions.Http;
using PeerMatch.Tests.Infrastructure;

namespace PeerMatch.Tests.Security;

/// <summary>
/// The sign-up limit counts per client address the platform vouches for, never per value a client writes
/// into X-Forwarded-For.
/// </summary>
public sealed class ClientAddressTests
{
    [Fact]
    public async Task Under_the_functions_host_the_limit_keys_on_the_last_hop_the_platform_appended()
    {
        using var worker = WorkerHost.Build($"PeerMatch:OrganizerKey={PeerMatchApp.OrganizerKey}", "PeerMatch:IntakePerMinute=3", $"AzureWebJobsStorage={PeerMatchApp.StorageConnection}");
        // The worker's own pipeline: its forwarded-headers options (the ASP.NET Core integration's), then the gate.
        var forwarding = worker.Services.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value;
        var gate = worker.Services.GetRequiredService<HttpGate>();
        var signUp = worker.Services.GetRequiredService<FunctionCatalog>().Get("Intake");
        await using var proxied = LoopbackServer.CreateBuilder().Build();
        proxied.UseForwardedHeaders(forwarding);
        proxied.MapPost("/api/practitioners", async (HttpContext http) =>
        {
            return await gate.RunAsync(http, signUp, () => Task.FromResult<IResult?>(TypedResults.Accepted((string?)null)));
        });
        await proxied.StartAsync();
        // As the host forwards: from loopback, with the front end's hop (the address it saw) appended last.
        using var host = new HttpClient { BaseAddress = proxied.Address() };

        var fromOneClient = new List<HttpStatusCode>();
        for (var i = 0; i < 30; i++)
        {
            fromOneClient.Add(await PostAsync(host, $"198.51.100.{i}, 203.0.113.7"));
        }
        var fromAnother = await PostAsync(host, "203.0.113.8");

        Assert.Equal(3, fromOneClient.Count(s => s == HttpStatusCode.Accepted));
        Assert.Equal(27, fromOneClient.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.Equal(HttpStatusCode.Accepted, fromAnother);
        await proxied.StopAsync();
    }

    [Fact]
    public async Task Standalone_the_limit_keys_on_the_connection_whatever_the_client_writes()
    {
        await using var app = new PeerMatchApp(new() { ["PeerMatch:IntakePerMinute"] = "3" });
        app.UseKestrel(0);
        app.StartServer();
        using var client = new HttpClient { BaseAddress = app.ClientOptions.BaseAddress };

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 10; i++)
        {
            statuses.Add(await PostAsync(client, $"198.51.100.{i}"));
        }

        Assert.Equal(3, statuses.Count(s => s == HttpStatusCode.Accepted));
    }

    private static async Task<HttpStatusCode> PostAsync(HttpClient client, string forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/practitioners") { Content = JsonContent.Create(Intakes.Valid($"{Guid.NewGuid():N}@example.org")) };
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}
