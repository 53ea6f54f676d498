using System.Diagnostics;
using System.Globalization;

namespace PeerMatch.Bench;

// dotnet run -c Release --project bench/PeerMatch.Bench -- evaluate [size] [seed]
// dotnet run -c Release --project bench/PeerMatch.Bench -- dryrun [sizes, comma-separated]
// dotnet run -c Release --project bench/PeerMatch.Bench -- groups [size] [seed] [weeks of answers, 0 for the prior]
// dotnet run -c Release --project bench/PeerMatch.Bench -- groups-dryrun [sizes, comma-separated]
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
                Console.WriteLine($"{Environment.ProcessorCount} cores, .NET {Environment.Version}");
                Console.WriteLine(DryRunBenchmark.Header);
                await EachInItsOwnProcessAsync("dryrun-one", args.Length > 1 ? args[1] : "10000,100000");
                return 0;
            case "groups":
            {
                var size = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3000;
                var seed = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 42;
                var weeks = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 2;
                Console.WriteLine(GroupEvaluation.Markdown(GroupEvaluation.Run(size, seed, Console.Error, weeks), seed));
                return 0;
            }
            case "groups-dryrun":
                Console.WriteLine($"{Environment.ProcessorCount} cores, .NET {Environment.Version}");
                Console.WriteLine(GroupEvaluation.DryRunHeader);
                await EachInItsOwnProcessAsync("groups-dryrun-one", args.Length > 1 ? args[1] : "10000,100000");
                return 0;
            case "groups-dryrun-one":
                Console.WriteLine(GroupEvaluation.DryRun(int.Parse(args[1], CultureInfo.InvariantCulture), seed: 42));
                return 0;
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
                Console.Error.WriteLine("usage: PeerMatch.Bench evaluate [size] [seed] | dryrun [sizes] | groups [size] [seed] [weeks of answers] | groups-dryrun [sizes] | load <app url> <outbox folder> [seconds] [sign-ups a minute] | campaign <app url> <app pid> <organizer key> <outbox folder | sendgrid:port>");
                return 2;
        }
    }

    /// <summary>Runs <paramref name="command"/> once per size, each in a process of its own, so each peak working set is its own.</summary>
    private static async Task EachInItsOwnProcessAsync(string command, string sizes)
    {
        foreach (var size in sizes.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)))
        {
            var self = Environment.ProcessPath!;
            var start = new ProcessStartInfo(self) { RedirectStandardOutput = true };
            if (Path.GetFileNameWithoutExtension(self) == "dotnet")
            {
                start.ArgumentList.Add(typeof(BenchProgram).Assembly.Location);
            }
            start.ArgumentList.Add(command);
            start.ArgumentList.Add(size.ToString(CultureInfo.InvariantCulture));
            using var child = Process.Start(start)!;
            Console.WriteLine((await child.StandardOutput.ReadToEndAsync()).Trim());
            await child.WaitForExitAsync();
        }
    }
}
