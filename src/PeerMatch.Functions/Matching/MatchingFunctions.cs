using System.Text.Json;
using PeerMatch.Email;
using PeerMatch.Functions.Email;
using PeerMatch.Functions.Hosting;
using PeerMatch.Functions.Storage;

namespace PeerMatch.Functions.Matching;

/// <summary>Queue-triggered (<c>match-runs</c>): one matching run, started by the hourly timer or an organizer.</summary>
public sealed class MatchRunFunction(MatchRunner runner, MatchRunTable runs) : IInvokedFunction
{
    public const string Name = "MatchRun";
    public const string QueueName = "match-runs";

    public async Task<InvocationResult> InvokeAsync(Invocation invocation, CancellationToken cancellationToken)
    {
        var text = invocation.QueueMessage();
        var request = text is null ? null : JsonSerializer.Deserialize(text, MatchingJson.Default.MatchRunRequest);
        if (request is null)
        {
            return InvocationResult.Log("Ignored a message that is not a match run.");
        }
        try
        {
            await runner.RunAsync(request, cancellationToken);
            return InvocationResult.Log($"Match run {request.RunId} completed.");
        }
        catch (Exception e) when (e is not OperationCanceledException && invocation.DequeueCount >= StandaloneTriggers.MaxDequeueCount)
        {
            // The last attempt: say so on the run before the message goes to the poison queue.
            await runs.FailAsync(request.RunId, e.Message, cancellationToken);
            throw;
        }
    }

    public static async Task<string> StartAsync(StorageAccount storage, MatchRunTable runs, bool dryRun, bool force, CancellationToken cancellationToken)
    {
        var request = new MatchRunRequest(Guid.NewGuid().ToString("N"), dryRun, force);
        await runs.CreateAsync(request, cancellationToken);
        var queue = await storage.QueueAsync(QueueName, cancellationToken);
        await queue.SendMessageAsync(JsonSerializer.Serialize(request, MatchingJson.Default.MatchRunRequest), cancellationToken);
        return request.RunId;
    }
}

/// <summary>Timer-triggered, hourly: starts a run, which sends the digests whose local Monday morning has come.</summary>
public sealed class WeeklyMatchDigestFunction(StorageAccount storage, MatchRunTable runs) : IInvokedFunction
{
    public const string Name = "WeeklyMatchDigest";

    public async Task<InvocationResult> InvokeAsync(Invocation invocation, CancellationToken cancellationToken)
    {
        var runId = await MatchRunFunction.StartAsync(storage, runs, dryRun: false, force: false, cancellationToken);
        return InvocationResult.Log($"Started match run {runId}.");
    }
}

/// <summary>Timer-triggered, daily: retrains the ranker on the answers so far; promotes it only if it ranks better.</summary>
public sealed class RetrainMatchModelFunction(Retraining retraining) : IInvokedFunction
{
    public const string Name = "RetrainMatchModel";

    public async Task<InvocationResult> InvokeAsync(Invocation invocation, CancellationToken cancellationToken)
    {
        var result = await retraining.RetrainAsync(cancellationToken);
        return InvocationResult.Log(result.Challenger is null
            ? $"Not enough answers to train on yet ({result.TrainingExamples})."
            : $"Challenger NDCG@3 {result.ChallengerNdcg:0.000} vs incumbent {result.IncumbentNdcg:0.000}: {(result.Promoted ? "promoted" : "kept the incumbent")}.");
    }
}

/// <summary>
/// Timer-triggered, daily: two weeks after an introduction, asks each of the two whether they met.
/// The job id ("follow-up-{pair}") makes a repeated run harmless.
/// </summary>
public sealed class IntroductionFollowUpFunction(IntroductionTable introductions, EmailJobScheduler emails) : IInvokedFunction
{
    public const string Name = "IntroductionFollowUps";

    public async Task<InvocationResult> InvokeAsync(Invocation invocation, CancellationToken cancellationToken)
    {
        var due = await introductions.DueForFollowUpAsync(cancellationToken);
        foreach (var introduction in due)
        {
            var pair = $"{introduction.Low.Practitioner}-{introduction.High.Practitioner}";
            foreach (var (practitioner, suggestion) in new[] { introduction.Low, introduction.High })
            {
                await emails.EnqueueAsync(new EmailJob($"follow-up-{pair}", EmailKind.FollowUp, practitioner, suggestion), cancellationToken);
            }
            await introductions.MarkFollowUpQueuedAsync(introduction, cancellationToken);
        }
        return InvocationResult.Log($"Queued follow-ups for {due.Count} introduction(s).");
    }
}
