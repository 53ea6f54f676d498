using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace PeerMatch.Bench;

/// <summary>
/// A 10,000-row campaign end to end against a running standalone instance: the CSV posted as an organizer would,
/// then followed until nothing is pending. Measures the upload's answer time, the seconds until the last invitation
/// is out, the app's peak memory, and what reached the e-mail side: .eml files in the outbox, or, with a SendGrid
/// stand-in, API requests and personalizations (so requests per 1,000 invitations).
/// </summary>
internal static class CampaignBench
{
    public const int Rows = 10_000;

    public static async Task<int> RunAsync(Uri app, int appProcessId, string organizerKey, string target)
    {
        using var standIn = target.StartsWith("sendgrid:", StringComparison.Ordinal)
            ? SendGridStandIn.Start(int.Parse(target["sendgrid:".Length..], CultureInfo.InvariantCulture)) : null;
        using var client = new HttpClient { BaseAddress = app, Timeout = TimeSpan.FromMinutes(3) };
        client.DefaultRequestHeaders.Add("x-functions-key", organizerKey);

        var csv = List(out var unique);
        var clock = Stopwatch.StartNew();
        using var response = await client.PostAsync("/api/organizer/invitations?campaign=" + Uri.EscapeDataString($"Bench {DateTime.UtcNow:O}"),
            new StringContent(csv, Encoding.UTF8, "text/csv"));
        var answered = clock.Elapsed;
        var receipt = await response.Content.ReadFromJsonAsync<JsonObject>();
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            Console.Error.WriteLine($"The upload was answered {(int)response.StatusCode}: {receipt}");
            return 1;
        }
        var campaignId = receipt!["campaignId"]!.GetValue<string>();
        JsonObject progress;
        var slowestRead = TimeSpan.Zero;
        do
        {
            await Task.Delay(500);
            var read = Stopwatch.StartNew();
            progress = await ProgressAsync(client, campaignId);
            slowestRead = read.Elapsed > slowestRead ? read.Elapsed : slowestRead;
        }
        while (progress["pending"]!.GetValue<int>() > 0 && clock.Elapsed < TimeSpan.FromMinutes(10));
        var finished = clock.Elapsed;
        var peak = PeakMegabytes(appProcessId);

        var accepted = receipt["accepted"]!.GetValue<int>();
        var sent = progress["sent"]!.GetValue<int>();
        var delivered = standIn is null
            ? Directory.GetFiles(target, "invitation-*.eml").Length
            : standIn.Personalizations;
        Console.WriteLine($"{Environment.ProcessorCount} cores, .NET {Environment.Version}, {(standIn is null ? "outbox (.eml files)" : "SendGrid stand-in on loopback")}");
        Console.WriteLine();
        Console.WriteLine("| rows | accepted | duplicates | invalid | sent | upload answered (s) | all sent (s) | app peak memory (MB) | slowest progress read (s) | " + (standIn is null ? ".eml files |" : "SendGrid requests | per 1,000 sent |"));
        Console.WriteLine(standIn is null ? "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|" : "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {Rows:N0} | {accepted:N0} | {receipt["duplicates"]} | {receipt["invalid"]!.AsArray().Count} | {sent:N0} | {answered.TotalSeconds:0.0} | {finished.TotalSeconds:0.0} | {peak:0} | {slowestRead.TotalSeconds:0.0} | ")
            + (standIn is null
                ? string.Create(CultureInfo.InvariantCulture, $"{delivered:N0} |")
                : string.Create(CultureInfo.InvariantCulture, $"{standIn.Requests} | {standIn.Requests * 1000.0 / Math.Max(1, sent):0.0} |")));

        // Exactly once: every accepted address sent, nothing twice.
        var ok = accepted == unique && sent == accepted && delivered == sent && progress["failed"]!.GetValue<int>() == 0;
        Console.Error.WriteLine(ok ? "PASS: every accepted address got one invitation." : $"FAIL: accepted {accepted} of {unique} unique, sent {sent}, delivered {delivered}.");
        return ok ? 0 : 1;
    }

    private static async Task<JsonObject> ProgressAsync(HttpClient client, string campaignId)
    {
        using var response = await client.GetAsync($"/api/organizer/invitations/{Uri.EscapeDataString(campaignId)}");
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>10,000 rows: 5 % repeat an earlier address (in another case), 2 % are not addresses, the rest are new people.</summary>
    private static string List(out int unique)
    {
        var random = new Random(7);
        var csv = new StringBuilder("email,name\r\n");
        var people = new List<string>();
        for (var row = 0; row < Rows; row++)
        {
            var roll = row % 100;
            if (roll < 5 && people.Count > 0)
            {
                csv.Append(CultureInfo.InvariantCulture, $"{people[random.Next(people.Count)].ToUpperInvariant()},Again\r\n");
            }
            else if (roll < 7)
            {
                csv.Append(CultureInfo.InvariantCulture, $"not-an-address-{row},Nobody\r\n");
            }
            else
            {
                var address = $"person{row}@example.org";
                people.Add(address);
                csv.Append(CultureInfo.InvariantCulture, $"{address},\"Person {row}, Mediator\"\r\n");
            }
        }
        unique = people.Count;
        return csv.ToString();
    }

    /// <summary>The process's peak resident memory (VmHWM), in MB.</summary>
    private static double PeakMegabytes(int processId)
    {
        var line = File.ReadLines($"/proc/{processId}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }

    /// <summary>Answers SendGrid's mail/send with 202 on loopback and counts the requests and their personalizations.</summary>
    private sealed class SendGridStandIn : IDisposable
    {
        private readonly HttpListener _listener = new();
        private int _requests;
        private int _personalizations;

        public int Requests => _requests;

        public int Personalizations => _personalizations;

        public static SendGridStandIn Start(int port)
        {
            var standIn = new SendGridStandIn();
            standIn._listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            standIn._listener.Start();
            _ = Task.Run(standIn.ServeAsync);
            return standIn;
        }

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }
                var body = await JsonNode.ParseAsync(context.Request.InputStream);
                Interlocked.Increment(ref _requests);
                Interlocked.Add(ref _personalizations, body?["personalizations"]?.AsArray().Count ?? 0);
                context.Response.StatusCode = 202;
                context.Response.Close();
            }
        }

        public void Dispose() => _listener.Close();
    }
}
