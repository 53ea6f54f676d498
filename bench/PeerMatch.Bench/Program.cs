using System.Diagnostics;
using System.Globalization;

namespace PeerMatch.Bench;

// dotnet run -c Release --project bench/PeerMatch.Bench -- evaluate [size] [seed]
// dotnet run -c Release --project bench/PeerMatch.Bench -- learning [size] [seeds, comma-separated] [weeks]
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
                var (size, seed) = (Arg(args, 1, 3000), Arg(args, 2, 42));
                var rows = OfflineEvaluation.Run(size, seed, Console.Error);
                Console.WriteLine(OfflineEvaluation.Markdown(rows, size, seed));
                return 0;
            }
            case "learning":
            {
                var size = Arg(args, 1, 600);
                var seeds = (args.Length > 2 ? args[2] : "1,2,3").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();
                var weeks = LearningEvaluation.Run(size, seeds, Arg(args, 3, 6), Console.Error).ToList();
                Console.WriteLine(LearningEvaluation.Markdown(weeks, size));
                return 0;
            }
            case "dryrun":
                await TableAsync(DryRunBenchmark.Header, "dryrun-one", args);
                return 0;
            case "groups":
            {
                var seed = Arg(args, 2, 42);
                Console.WriteLine(GroupEvaluation.Markdown(GroupEvaluation.Run(Arg(args, 1, 3000), seed, Console.Error, weeksOfAnswers: Arg(args, 3, 2)), seed));
                return 0;
            }
            case "groups-dryrun":
                await TableAsync(GroupEvaluation.DryRunHeader, "groups-dryrun-one", args);
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
                Console.Error.WriteLine("usage: PeerMatch.Bench evaluate [size] [seed] | learning [size] [seeds] [weeks] | dryrun [sizes] | groups [size] [seed] [weeks of answers] | groups-dryrun [sizes] | load <app url> <outbox folder> [seconds] [sign-ups a minute] | campaign <app url> <app pid> <organizer key> <outbox folder | sendgrid:port>");
                return 2;
        }
    }

    private static int Arg(string[] args, int index, int fallback) => args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;

    /// <summary>
    /// A table of one row per size (args[1], comma-separated; 10,000 and 100,000 by default), each row from
    /// <paramref name="command"/> in a process of its own, so each peak working set is its own.
    /// </summary>
    private static async Task TableAsync(string header, string command, string[] args)
    {
        Console.WriteLine($"{Environment.ProcessorCount} cores, .NET {Environment.Version}");
        Console.WriteLine(header);
        foreach (var size in (args.Length > 1 ? args[1] : "10000,100000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)))
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
