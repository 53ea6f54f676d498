using System.Globalization;
using System.Text.Json;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Cronos;
using Microsoft.Extensions.Options;
using PeerMatch.Functions.Settings;
using PeerMatch.Functions.Storage;

namespace PeerMatch.Functions.Hosting;

/// <summary>
/// Standalone mode: does what the Functions host would. Fires each timer function on the schedule in
/// its function.json (NCRONTAB with seconds, UTC) and drains each queue function's queue, with the
/// host's retry rules: back-off between attempts, then the <c>&lt;queue&gt;-poison</c> queue.
/// </summary>
public sealed class StandaloneTriggers(
    FunctionCatalog catalog,
    FunctionInvoker invoker,
    StorageAccount storage,
    IOptions<PeerMatchOptions> options,
    TimeProvider clock,
    ILogger<StandaloneTriggers> log) : BackgroundService
{
    public const int MaxDequeueCount = 5;
    private static readonly TimeSpan Visibility = TimeSpan.FromMinutes(2);

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var loops = catalog.Functions.Select(f => f.Trigger switch
        {
            TriggerKind.Timer when options.Value.RunTimers => RunTimerAsync(f, stoppingToken),
            TriggerKind.Queue => RunQueueAsync(f, stoppingToken),
            _ => Task.CompletedTask,
        });
        return Task.WhenAll(loops);
    }

    private async Task RunTimerAsync(FunctionDefinition function, CancellationToken stoppingToken)
    {
        var schedule = CronExpression.Parse(function.Schedule ?? throw new InvalidOperationException($"{function.Name} has no schedule."), CronFormat.IncludeSeconds);
        var last = clock.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            var next = schedule.GetNextOccurrence(clock.GetUtcNow(), TimeZoneInfo.Utc);
            if (next is null)
            {
                return;
            }
            try
            {
                await Task.Delay(Max(next.Value - clock.GetUtcNow(), TimeSpan.Zero), clock, stoppingToken);
                var data = JsonSerializer.SerializeToElement(new Dictionary<string, object>
                {
                    ["timer"] = new Dictionary<string, object>
                    {
                        ["Schedule"] = new Dictionary<string, object> { ["AdjustForDST"] = false },
                        ["ScheduleStatus"] = new Dictionary<string, string> { ["Last"] = Iso(last), ["Next"] = Iso(next.Value), ["LastUpdated"] = Iso(clock.GetUtcNow()) },
                        ["IsPastDue"] = false,
                    },
                });
                var metadata = JsonSerializer.SerializeToElement(new Dictionary<string, object>
                {
                    ["sys"] = new Dictionary<string, string> { ["MethodName"] = function.Name, ["UtcNow"] = Iso(clock.GetUtcNow()), ["RandGuid"] = Guid.NewGuid().ToString() },
                });
                last = next.Value;
                var result = await invoker.InvokeAsync(function.Name, data, metadata, stoppingToken);
                LogLines(function, result);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Like the host: a failed timer run is logged and not retried; the next occurrence runs as usual.
                log.LogError(e, "Timer function {Function} failed", function.Name);
            }
        }
    }

    private async Task RunQueueAsync(FunctionDefinition function, CancellationToken stoppingToken)
    {
        QueueClient? queue = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                queue ??= await storage.QueueAsync(function.QueueName!, stoppingToken);
                QueueMessage[] messages = await queue.ReceiveMessagesAsync(16, Visibility, stoppingToken);
                if (messages.Length == 0)
                {
                    await Task.Delay(options.Value.QueuePollInterval, clock, stoppingToken);
                    continue;
                }
                foreach (var message in messages)
                {
                    await HandleAsync(function, queue, message, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Storage unreachable: keep trying; messages stay queued meanwhile.
                log.LogWarning(e, "Queue {Queue} could not be read; trying again shortly", function.QueueName);
                await Task.Delay(TimeSpan.FromSeconds(5), clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task HandleAsync(FunctionDefinition function, QueueClient queue, QueueMessage message, CancellationToken stoppingToken)
    {
        var data = JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["msg"] = message.Body.ToString() });
        var metadata = JsonSerializer.SerializeToElement(new Dictionary<string, object?>
        {
            ["DequeueCount"] = message.DequeueCount,
            ["Id"] = message.MessageId,
            ["PopReceipt"] = message.PopReceipt,
            ["InsertionTime"] = message.InsertedOn,
            ["ExpirationTime"] = message.ExpiresOn,
            ["NextVisibleTime"] = message.NextVisibleOn,
        });
        try
        {
            var result = await invoker.InvokeAsync(function.Name, data, metadata, stoppingToken);
            LogLines(function, result);
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            if (message.DequeueCount >= MaxDequeueCount)
            {
                log.LogError(e, "{Function} failed {Count} times; message {Id} moved to the poison queue", function.Name, message.DequeueCount, message.MessageId);
                var poison = await storage.QueueAsync(function.QueueName + "-poison", stoppingToken);
                await poison.SendMessageAsync(message.Body, cancellationToken: stoppingToken);
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, stoppingToken);
                return;
            }
            var backOff = RetryDelay(options.Value.QueueRetryDelay, message.DequeueCount);
            log.LogWarning(e, "{Function} failed (attempt {Count}); retrying in {Delay}", function.Name, message.DequeueCount, backOff);
            await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: backOff, cancellationToken: stoppingToken);
        }
    }

    /// <summary>Exponential back-off: first, twice that, four times… at most 10 minutes.</summary>
    public static TimeSpan RetryDelay(TimeSpan first, long dequeueCount) =>
        TimeSpan.FromSeconds(Math.Min(600, first.TotalSeconds * Math.Pow(2, Math.Max(0, dequeueCount - 1))));

    private void LogLines(FunctionDefinition function, InvocationResult result)
    {
        foreach (var line in result.Logs)
        {
            log.LogInformation("{Function}: {Line}", function.Name, line);
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static string Iso(DateTimeOffset time) => time.ToString("O", CultureInfo.InvariantCulture);
}
