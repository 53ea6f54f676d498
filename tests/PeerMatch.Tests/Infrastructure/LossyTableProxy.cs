using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace PeerMatch.Tests.Infrastructure;

/// <summary>
/// A loopback HTTP proxy in front of Azurite's Table service that passes everything through, except that the
/// answer to the first insert into a chosen table is lost on the way back (the insert itself happened): what a
/// slow or dropped connection does, after which the storage client sends the same insert again.
/// </summary>
public sealed partial class LossyTableProxy : IAsyncDisposable
{
    private readonly WebApplication _proxy;
    private readonly HttpClient _azurite = new(new SocketsHttpHandler { AllowAutoRedirect = false });
    private int _lost;

    private LossyTableProxy(WebApplication proxy) => _proxy = proxy;

    /// <summary>How many answers were lost (at most one).</summary>
    public int Lost => _lost;

    /// <summary>The app's storage connection string, with the Table endpoint through the proxy.</summary>
    public string ConnectionString { get; private set; } = "";

    public static async Task<LossyTableProxy> StartAsync(string table)
    {
        var azurite = TableEndpoint().Match(PeerMatchApp.StorageConnection) is { Success: true } m ? new Uri(m.Groups[1].Value) : new Uri("http://127.0.0.1:10002/devstoreaccount1");
        var app = LoopbackServer.CreateBuilder().Build();
        var proxy = new LossyTableProxy(app);
        app.Run(http => proxy.ForwardAsync(http, azurite, table));
        await app.StartAsync();
        proxy.ConnectionString = TableEndpoint().Replace(PeerMatchApp.StorageConnection.Contains("TableEndpoint=", StringComparison.Ordinal)
            ? PeerMatchApp.StorageConnection
            : "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;QueueEndpoint=http://127.0.0.1:10001/devstoreaccount1;TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;",
            $"TableEndpoint={app.Address().ToString().TrimEnd('/')}/devstoreaccount1;");
        return proxy;
    }

    private async Task ForwardAsync(HttpContext http, Uri azurite, string table)
    {
        var target = new Uri($"{azurite.GetLeftPart(UriPartial.Authority)}{http.Request.Path}{http.Request.QueryString}");
        using var request = new HttpRequestMessage(new HttpMethod(http.Request.Method), target);
        using var body = new MemoryStream();
        await http.Request.Body.CopyToAsync(body);
        if (body.Length > 0 || http.Request.ContentLength is not null)
        {
            request.Content = new ByteArrayContent(body.ToArray());
        }
        foreach (var (name, values) in http.Request.Headers)
        {
            if (!name.Equals("Host", StringComparison.OrdinalIgnoreCase) && !request.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)values))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)values);
            }
        }
        using var response = await _azurite.SendAsync(request);

        // An insert into the table (POST to /{account}/{table}) that worked: its answer goes missing, once.
        var insert = http.Request.Method == "POST" && http.Request.Path.Value!.EndsWith(table, StringComparison.OrdinalIgnoreCase);
        if (insert && response.IsSuccessStatusCode && Interlocked.CompareExchange(ref _lost, 1, 0) == 0)
        {
            http.Abort();
            return;
        }
        http.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (!name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                http.Response.Headers[name] = values.ToArray();
            }
        }
        await response.Content.CopyToAsync(http.Response.Body);
    }

    public async ValueTask DisposeAsync()
    {
        await _proxy.DisposeAsync();
        _azurite.Dispose();
    }

    [GeneratedRegex(@"TableEndpoint=([^;]+);")]
    private static partial Regex TableEndpoint();
}
