using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using MimeKit;

namespace PeerMatch.Bench;

/// <summary>
/// A bounded flood on loopback against a running standalone instance: sign-ups from one client and from 50
/// addresses (each its own 127.0.x.y source), half of them for one victim's address, while confirmed people keep
/// opening their profile links. Passes when the limiter holds, the victim gets one e-mail, links keep answering
/// and nothing answers 5xx.
/// </summary>
internal static partial class LoadTest
{
    private const string Victim = "victim@example.org";

    public static async Task<int> RunAsync(Uri app, string outbox, TimeSpan duration, int perMinute)
    {
        Console.Error.WriteLine($"Confirming 20 people against {app}…");
        var links = await ConfirmPeopleAsync(app, outbox, 20);
        var log = new ConcurrentBag<(string Traffic, int Status, double Milliseconds)>();
        using var stop = new CancellationTokenSource(duration);

        Console.Error.WriteLine($"Flooding for {duration.TotalSeconds:0} s…");
        var oneClient = ClientFrom(IPAddress.Parse("127.0.0.2"), app);
        var manyClients = Enumerable.Range(1, 50).Select(i => ClientFrom(IPAddress.Parse($"127.0.1.{i}"), app)).ToList();
        var readers = links.Select((link, i) => (Client: ClientFrom(IPAddress.Parse($"127.0.3.{i + 1}"), app), Link: link)).ToList();
        var work = new List<Task>();
        // One client, four connections, each sending again 5 ms after an answer (up to 800 a second): bounded, so that
        // the load generator on the same cores does not starve the app it measures.
        work.AddRange(Enumerable.Range(0, 4).Select(_ => LoopAsync(async () =>
        {
            await TimedAsync(log, "sign-ups, one client", () => SignUpAsync(oneClient, $"flood-{Guid.NewGuid():N}@example.org"));
            await Task.Delay(5);
        }, stop.Token)));
        // Fifty clients, five sign-ups a second each, every other one for the victim.
        work.AddRange(manyClients.Select(client => LoopAsync(async () =>
        {
            await TimedAsync(log, "sign-ups, 50 clients", () => SignUpAsync(client, Random.Shared.Next(2) == 0 ? Victim : $"spread-{Guid.NewGuid():N}@example.org"));
            await Task.Delay(200);
        }, stop.Token)));
        // Confirmed people opening their profile link, each every 100 ms.
        work.AddRange(readers.Select(reader => LoopAsync(async () =>
        {
            await TimedAsync(log, "profile links", () => reader.Client.GetAsync(reader.Link, HttpCompletionOption.ResponseContentRead));
            await Task.Delay(100);
        }, stop.Token)));
        await Task.WhenAll(work);

        Console.Error.WriteLine("Waiting for the e-mail queue to settle…");
        await SettledAsync(outbox);
        var toVictim = Directory.GetFiles(outbox, "*.eml").Count(f => MimeMessage.Load(f).To.Mailboxes.Any(m => m.Address == Victim));

        var rows = log.GroupBy(e => e.Traffic).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
        {
            var times = g.Select(e => e.Milliseconds).Order().ToArray();
            return (Traffic: g.Key, Requests: times.Length,
                Ok: g.Count(e => e.Status is >= 200 and < 300), Limited: g.Count(e => e.Status == 429),
                OtherClientErrors: g.Count(e => e.Status is >= 400 and < 500 and not 429), ServerErrors: g.Count(e => e.Status >= 500 || e.Status == 0),
                P50: Percentile(times, 0.50), P95: Percentile(times, 0.95), P99: Percentile(times, 0.99), Max: times[^1]);
        }).ToList();

        Console.WriteLine($"{Environment.ProcessorCount} cores, .NET {Environment.Version}, {duration.TotalSeconds:0} s, limit {perMinute} sign-ups a minute per client");
        Console.WriteLine();
        Console.WriteLine("| traffic | requests | 2xx | 429 | other 4xx | 5xx or no answer | p50 ms | p95 ms | p99 ms | max ms |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in rows)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Traffic} | {r.Requests} | {r.Ok} | {r.Limited} | {r.OtherClientErrors} | {r.ServerErrors} | {r.P50:0.0} | {r.P95:0.0} | {r.P99:0.0} | {r.Max:0.0} |"));
        }
        Console.WriteLine();

        // A fixed window: a run of this length touches at most this many windows per client.
        var windows = (int)Math.Ceiling(duration.TotalMinutes) + 1;
        var oneClientRow = rows.Single(r => r.Traffic == "sign-ups, one client");
        var manyRow = rows.Single(r => r.Traffic == "sign-ups, 50 clients");
        var linksRow = rows.Single(r => r.Traffic == "profile links");
        var checks = new (string Check, bool Held)[]
        {
            ($"one client: {oneClientRow.Ok} accepted, at most {perMinute * windows}", oneClientRow.Ok <= perMinute * windows),
            ($"50 clients: {manyRow.Ok} accepted, at most {50 * perMinute * windows}", manyRow.Ok <= 50 * perMinute * windows),
            ($"the victim's address: {toVictim} e-mail(s), at most 1", toVictim <= 1),
            ($"profile links: {linksRow.Ok} of {linksRow.Requests} answered 200", linksRow.Ok == linksRow.Requests),
            ($"no 5xx and no unanswered request: {rows.Sum(r => r.ServerErrors)}", rows.Sum(r => r.ServerErrors) == 0),
        };
        foreach (var (check, held) in checks)
        {
            Console.WriteLine($"- {(held ? "held" : "FAILED")}: {check}");
        }
        return checks.All(c => c.Held) ? 0 : 1;
    }

    private static async Task LoopAsync(Func<Task> step, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            await step();
        }
    }

    private static async Task TimedAsync(ConcurrentBag<(string, int, double)> log, string traffic, Func<Task<HttpResponseMessage>> send)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            using var response = await send();
            log.Add((traffic, (int)response.StatusCode, clock.Elapsed.TotalMilliseconds));
            if ((int)response.StatusCode >= 500)
            {
                Console.Error.WriteLine($"{traffic}: {(int)response.StatusCode} after {clock.Elapsed.TotalMilliseconds:0} ms: {await response.Content.ReadAsStringAsync()}");
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            log.Add((traffic, 0, clock.Elapsed.TotalMilliseconds));
        }
    }

    private static Task<HttpResponseMessage> SignUpAsync(HttpClient client, string email) =>
        client.PostAsync("/api/practitioners", new StringContent(IntakeBody.Replace("{email}", System.Text.Json.JsonEncodedText.Encode(email).ToString(), StringComparison.Ordinal),
            System.Text.Encoding.UTF8, "application/json"));

    private const string IntakeBody = """
        {"name":"Load Test","email":"{email}","models":["facilitative"],
         "region":{"country":"US","subdivision":"US-CA","city":"Oakland","timeZone":"America/Los_Angeles"},
         "yearsExperience":5,"practiceAreas":["family"],"languages":["en"],"meeting":"online",
         "seeking":["peer-group"],"willingToConvene":false,"consent":true}
        """;

    /// <summary>Signs people up (each from its own address), confirms them as a browser does, and returns their profile links.</summary>
    private static async Task<List<string>> ConfirmPeopleAsync(Uri app, string outbox, int count)
    {
        var links = new List<string>();
        for (var i = 1; i <= count; i++)
        {
            var client = ClientFrom(IPAddress.Parse($"127.0.2.{i}"), app);
            var email = $"reader-{i}-{Guid.NewGuid():N}@example.org";
            using (var signedUp = await SignUpAsync(client, email))
            {
                signedUp.EnsureSuccessStatusCode();
            }
            var confirm = await LinkInMailAsync(outbox, email, ConfirmLink());
            using var button = new HttpRequestMessage(HttpMethod.Post, confirm) { Content = new FormUrlEncodedContent([]) };
            button.Headers.Accept.ParseAdd("text/html");
            using var confirmed = await client.SendAsync(button);
            using var after = new HttpRequestMessage(HttpMethod.Get, confirmed.Headers.Location ?? throw new InvalidOperationException($"Confirming answered {confirmed.StatusCode}."));
            after.Headers.Accept.ParseAdd("text/html");
            using var shown = await client.SendAsync(after);
            var page = await shown.Content.ReadAsStringAsync();
            var link = WebUtility.HtmlDecode(ManageLink().Match(page).Value);
            using var opened = await client.GetAsync(link);
            if (opened.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"The profile link {link} answered {opened.StatusCode}: {await opened.Content.ReadAsStringAsync()}");
            }
            links.Add(link);
        }
        return links;
    }

    private static async Task<string> LinkInMailAsync(string outbox, string email, Regex link)
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            foreach (var file in Directory.Exists(outbox) ? Directory.GetFiles(outbox, "*.eml") : [])
            {
                var message = MimeMessage.Load(file);
                if (message.To.Mailboxes.Any(m => m.Address == email) && link.Match(message.TextBody ?? "") is { Success: true } found)
                {
                    return new Uri(found.Value).PathAndQuery;
                }
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"No e-mail to {email} arrived in {outbox}.");
    }

    /// <summary>Waits until no new e-mail has appeared for three seconds.</summary>
    private static async Task SettledAsync(string outbox)
    {
        var seen = -1;
        for (var quiet = 0; quiet < 3;)
        {
            await Task.Delay(1000);
            var now = Directory.GetFiles(outbox, "*.eml").Length;
            quiet = now == seen ? quiet + 1 : 0;
            seen = now;
        }
    }

    /// <summary>A client whose connections leave from <paramref name="source"/>: on loopback, any 127.x.y.z is ours to use.</summary>
    private static HttpClient ClientFrom(IPAddress source, Uri app) => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(source, 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    })
    { BaseAddress = app, Timeout = TimeSpan.FromSeconds(10) };

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    [GeneratedRegex(@"https?://\S+/api/confirm\?token=[^\s""<>]+")]
    private static partial Regex ConfirmLink();

    [GeneratedRegex(@"/api/me\?token=[^""<>\s]+")]
    private static partial Regex ManageLink();
}
