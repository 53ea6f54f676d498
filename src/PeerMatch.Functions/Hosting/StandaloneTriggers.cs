using System.Reflection;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Cronos;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using PeerMatch.Functions.Settings;
using PeerMatch.Functions.Storage;

namespace PeerMatch.Functions.Hosting;

/// <summary>
/// Standalone (no Functions host), does what the host would: fires each timer function on its schedule
/// (NCRONTAB with seconds, UTC) and drains each queue function's queue with host.json's rules: a failed
/// message comes back after <c>visibilityTimeout</c>, and after <c>maxDequeueCount</c> attempts it moves
/// to <c>&lt;queue&gt;-poison</c>.
/// </summary>
public sealed class StandaloneTriggers(
    FunctionCatalog catalog,
    HostJson host,
    IServiceScopeFactory scopes,
    StorageAccount storage,
    IConfiguration configuration,
    IOptions<PeerMatchOptions> options,
    TimeProvider clock,
    ILogger<StandaloneTriggers> log) : BackgroundService
{
    // Long enough for any one message; a message whose worker died comes back after it.
    private static readonly TimeSpan Visibility = TimeSpan.FromMinutes(5);

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var loops = catalog.Functions.Select(f => f.Trigger switch
        {
            TriggerKind.Timer when options.Value.RunTimers => RunTimerAsync(f, Schedule(f, configuration), stoppingToken),
            TriggerKind.Queue => RunQueueAsync(f, stoppingToken),
            _ => Task.CompletedTask,
        });
        return Task.WhenAll(loops);
    }

    /// <summary>A timer's schedule: the setting its <c>%Name%</c> names, or its declared default.</summary>
    public static CronExpression Schedule(FunctionDescriptor timer, IConfiguration configuration)
    {
        var schedule = timer.Schedule!;
        if (schedule.Length > 2 && schedule[0] == '%' && schedule[^1] == '%')
        {
            schedule = configuration[schedule[1..^1]] is { Length: > 0 } configured ? configured
                : timer.DefaultSchedule ?? throw new InvalidOperationException($"{timer.Name}: set {schedule} or declare a default schedule.");
        }
        return CronExpression.Parse(schedule, CronFormat.IncludeSeconds);
    }

    private async Task RunTimerAsync(FunctionDescriptor function, CronExpression schedule, CancellationToken stoppingToken)
    {
        var last = clock.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            if (schedule.GetNextOccurrence(clock.GetUtcNow(), TimeZoneInfo.Utc) is not { } next)
            {
                return;
            }
            try
            {
                // The app's clock: a test moves it to make a timer fire.
                await Task.Delay(Max(next - clock.GetUtcNow(), TimeSpan.Zero), clock, stoppingToken);
                var timer = new TimerInfo { ScheduleStatus = new ScheduleStatus { Last = last.UtcDateTime, Next = next.UtcDateTime, LastUpdated = clock.GetUtcNow().UtcDateTime } };
                last = next;
                await InvokeAsync(function, parameter => parameter.ParameterType == typeof(TimerInfo) ? timer : stoppingToken);
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

    private async Task RunQueueAsync(FunctionDescriptor function, CancellationToken stoppingToken)
    {
        QueueClient? queue = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                queue ??= await storage.QueueAsync(function.QueueName!, stoppingToken);
                QueueMessage[] messages = await queue.ReceiveMessagesAsync(host.QueueBatchSize, Visibility, stoppingToken);
                if (messages.Length == 0)
                {
                    // Real time: polling waits for other processes, which no test clock moves.
                    await Task.Delay(options.Value.QueuePollInterval, stoppingToken);
                    continue;
                }
                await Parallel.ForEachAsync(messages, stoppingToken, (message, ct) => new ValueTask(HandleAsync(function, queue, message, ct)));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Storage unreachable: keep trying; messages stay queued meanwhile.
                log.LogWarning(e, "Queue {Queue} could not be read; trying again shortly", function.QueueName);
                await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task HandleAsync(FunctionDescriptor function, QueueClient queue, QueueMessage message, CancellationToken stoppingToken)
    {
        try
        {
            await InvokeAsync(function, parameter => parameter.ParameterType == typeof(QueueMessage) ? message : stoppingToken);
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            if (message.DequeueCount >= host.MaxDequeueCount)
            {
                log.LogError(e, "{Function} failed {Count} times; message {Id} moved to the poison queue", function.Name, message.DequeueCount, message.MessageId);
                var poison = await storage.QueueAsync(function.QueueName + "-poison", stoppingToken);
                await poison.SendMessageAsync(message.Body, cancellationToken: stoppingToken);
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, stoppingToken);
                return;
            }
            var retryDelay = options.Value.QueueRetryDelay ?? host.QueueRetryDelay;
            log.LogWarning(e, "{Function} failed (attempt {Count}); retrying in {Delay}", function.Name, message.DequeueCount, retryDelay);
            await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: retryDelay, cancellationToken: stoppingToken);
        }
    }

    private async Task InvokeAsync(FunctionDescriptor function, Func<ParameterInfo, object?> bind)
    {
        await using var scope = scopes.CreateAsyncScope();
        await StandaloneFunctions.InvokeAsync(function, scope.ServiceProvider, bind);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
