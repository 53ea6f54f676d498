using System.Diagnostics;
using System.Globalization;

namespace PeerMatch.Bench;

// dotnet run -c Release --project bench/PeerMatch.Bench -- evaluate [size] [seed]
// dotnet run -c Release --project bench/PeerMatch.Bench -- dryrun [sizes, comma-separated]
// bash scripts/load.sh [seconds]   (starts the app and runs: load <app url> <outbox folder> [seconds] [sign-ups a minute])
// bash scripts/campaign-bench.sh   (starts the app twice and runs: campaign <app url> <app pid> <organizer key> <outbox folder | sendgrid:port>)
internal static class BenchProgram
{
    public static async Task<int> Main(string[] args)
    {
        var command = args.FirstOrDefault() ?? "help";
        switch (command)
        {
            case "evaluate":
            {
                var size = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3000;
                var seed = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 42;
                var rows = OfflineEvaluation.Run(size, seed, Console.Error);
                Console.WriteLine(OfflineEvaluation.Markdown(rows, size, seed));
                return 0;
            }
            case "dryrun":
            {
                var sizes = (args.Length > 1 ? args[1] : "10000,100000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture));
                Console.WriteLine($"{Environment.ProcessorCount} cores, .NET {Environment.Version}");
                Console.WriteLine(DryRunBenchmark.Header);
                foreach (var size in sizes)
                {
                    // One process per size, so each peak working set is its own.
                    var self = Environment.ProcessPath!;
                    var start = new ProcessStartInfo(self) { RedirectStandardOutput = true };
                    if (Path.GetFileNameWithoutExtension(self) == "dotnet")
                    {
                        start.ArgumentList.Add(typeof(DryRunBenchmark).Assembly.Location);
                    }
                    start.ArgumentList.Add("dryrun-one");
                    start.ArgumentList.Add(size.ToString(CultureInfo.InvariantCulture));
                    using var child = Process.Start(start)!;
                    Console.WriteLine((await child.StandardOutput.ReadToEndAsync()).Trim());
                    await child.WaitForExitAsync();
                }
                return 0;
            }
            case "load":
                return await LoadTest.RunAsync(new Uri(args[1]), args[2],
                    TimeSpan.FromSeconds(args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 30),
                    args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 10);
            case "campaign":
                return await CampaignBench.RunAsync(new Uri(args[1]), int.Parse(args[2], CultureInfo.InvariantCulture), args[3], args[4]);
            case "dryrun-one":
                Console.WriteLine(DryRunBenchmark.Run(int.Parse(args[1], CultureInfo.InvariantCulture), seed: 42));
                return 0;
            default:
                Console.Error.WriteLine("usage: PeerMatch.Bench evaluate [size] [seed] | dryrun [sizes] | load <app url> <outbox folder> [seconds] [sign-ups a minute] | campaign <app url> <app pid> <organizer key> <outbox folder | sendgrid:port>");
                return 2;
        }
    }
}
