using System.Text.Json;
using Azure.Storage.Queues.Models;
using Microsoft.Azure.Functions.Worker;
using PeerMatch.Functions.Hosting;
using PeerMatch.Matching;

namespace PeerMatch.Functions.Matching;

/// <summary>The timer and queue functions of matching: the hourly run, the run worker, retraining, follow-ups.</summary>
public sealed class MatchingFunctions(MatchRuns runs, Retraining retraining, SuggestionAnswers answers, HostJson host, ILogger<MatchingFunctions> log)
{
    /// <summary>Hourly: starts a run, which plans the week once and sends the digests whose local Monday morning has come.</summary>
    [Function("WeeklyMatchDigest"), DefaultSchedule("0 0 * * * *")]
    public async Task StartWeeklyRunAsync([TimerTrigger("%WeeklyMatchDigestSchedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var runId = await runs.StartAsync(dryRun: false, force: false, cancellationToken);
        log.LogInformation("Started match run {RunId}", runId);
    }

    /// <summary>Queue-triggered: one matching run, started by the hourly timer or an organizer.</summary>
    [Function("MatchRun")]
    public async Task RunAsync([QueueTrigger(MatchRunTable.QueueName)] QueueMessage message, CancellationToken cancellationToken)
    {
        var request = Parse(message.Body.ToString());
        if (request is null)
        {
            log.LogWarning("Ignored message {Id}: not a match run", message.MessageId);
            return;
        }
        try
        {
            var outcome = await runs.RunAsync(request, cancellationToken);
            log.LogInformation("Match run {RunId} for {Week}: {Suggestions} suggestions, {Digests} digests queued, {People} practitioners in the plan",
                request.RunId, outcome.Week, outcome.Suggestions, outcome.DigestsQueued, outcome.Practitioners);
        }
        catch (Exception e) when (e is not OperationCanceledException && host.IsLastAttempt(message))
        {
            // The last attempt: say so on the run before the message goes to the poison queue.
            await runs.FailAsync(request, e, cancellationToken);
            throw;
        }
    }

    /// <summary>Daily: retrains the ranker on the answers so far; promotes it only if it ranks better.</summary>
    [Function("RetrainMatchModel"), DefaultSchedule("0 30 2 * * *")]
    public async Task RetrainAsync([TimerTrigger("%RetrainMatchModelSchedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var result = await retraining.RetrainAsync(cancellationToken);
        if (result.Challenger is null)
        {
            log.LogInformation("Not enough answers to train on yet ({Examples})", result.TrainingExamples);
            return;
        }
        log.LogInformation("Retraining: {Summary}", result.Summary);
    }

    /// <summary>Daily: two weeks after an introduction, asks each of the two whether they met.</summary>
    [Function("IntroductionFollowUps"), DefaultSchedule("0 0 16 * * *")]
    public async Task FollowUpAsync([TimerTrigger("%IntroductionFollowUpsSchedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var count = await answers.QueueDueFollowUpsAsync(cancellationToken);
        log.LogInformation("Queued follow-ups for {Count} introduction(s)", count);
    }

    private static MatchRunRequest? Parse(string text)
    {
        try
        {
            return JsonSerializer.Deserialize(text, MatchingJson.Default.MatchRunRequest);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
