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
/// (NCRONTAB with seconds, UTC) and drains each queue function's queue with host.json's rules: a message
/// stays hidden while its function runs, a failed one comes back after <c>visibilityTimeout</c>, and
/// after <c>maxDequeueCount</c> attempts it moves to <c>&lt;queue&gt;-poison</c>.
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
    // A message is hidden this long when taken, and again every half of it while its function runs,
    // as the host does: a message whose worker died comes back within a lease (a minute by default).
    private TimeSpan Visibility => options.Value.ClaimLease;

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
            // From the last occurrence at the earliest: a delay that ends a little early never fires one twice.
            var from = clock.GetUtcNow() > last ? clock.GetUtcNow() : last;
            if (schedule.GetNextOccurrence(from, TimeZoneInfo.Utc) is not { } next)
            {
                return;
            }
            try
            {
                // The app's clock: a test moves it to make a timer fire.
                var wait = next - clock.GetUtcNow();
                await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, clock, stoppingToken);
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
                // A batch runs side by side, as under the host; each message settles on its own.
                await Task.WhenAll(messages.Select(message => HandleAsync(function, queue, message, stoppingToken)));
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

    /// <summary>Runs one message's function and settles the message: deleted, retried later, or poisoned. Never throws.</summary>
    private async Task HandleAsync(FunctionDescriptor function, QueueClient queue, QueueMessage message, CancellationToken stoppingToken)
    {
        var lease = new MessageLease(queue, message);
        using var renewing = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var renewal = lease.KeepHiddenAsync(Visibility, renewing.Token);
        Exception? failure = null;
        try
        {
            await InvokeAsync(function, parameter => parameter.ParameterType == typeof(QueueMessage) ? message : stoppingToken);
        }
        catch (Exception e)
        {
            failure = e;
        }
        await renewing.CancelAsync();
        await renewal;
        if (stoppingToken.IsCancellationRequested)
        {
            return; // stopping: the message comes back when its visibility ends
        }

        try
        {
            if (failure is null)
            {
                await queue.DeleteMessageAsync(message.MessageId, lease.PopReceipt, stoppingToken);
            }
            else if (host.IsLastAttempt(message))
            {
                log.LogError(failure, "{Function} failed {Count} times; message {Id} moved to the poison queue", function.Name, message.DequeueCount, message.MessageId);
                var poison = await storage.QueueAsync(function.QueueName + "-poison", stoppingToken);
                await poison.SendMessageAsync(message.Body, cancellationToken: stoppingToken);
                await queue.DeleteMessageAsync(message.MessageId, lease.PopReceipt, stoppingToken);
            }
            else
            {
                var retryDelay = options.Value.QueueRetryDelay ?? host.QueueRetryDelay;
                log.LogWarning(failure, "{Function} failed (attempt {Count}); retrying in {Delay}", function.Name, message.DequeueCount, retryDelay);
                await queue.UpdateMessageAsync(message.MessageId, lease.PopReceipt, visibilityTimeout: retryDelay, cancellationToken: stoppingToken);
            }
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            // Settling failed (storage hiccup, or the message was taken over): it reappears when its
            // visibility ends, and the function's own idempotence makes the repeat harmless.
            log.LogWarning(e, "{Function}: message {Id} could not be settled; it will be delivered again", function.Name, message.MessageId);
        }
    }

    private async Task InvokeAsync(FunctionDescriptor function, Func<ParameterInfo, object?> bind)
    {
        await using var scope = scopes.CreateAsyncScope();
        await StandaloneFunctions.InvokeAsync(function, scope.ServiceProvider, bind);
    }

    /// <summary>Keeps a message hidden while its function runs; each renewal gives it a new pop receipt.</summary>
    private sealed class MessageLease(QueueClient queue, QueueMessage message)
    {
        public string PopReceipt { get; private set; } = message.PopReceipt;

        public async Task KeepHiddenAsync(TimeSpan visibility, CancellationToken cancellationToken)
        {
            try
            {
                while (true)
                {
                    await Task.Delay(visibility / 2, cancellationToken);
                    var receipt = await queue.UpdateMessageAsync(message.MessageId, PopReceipt, visibilityTimeout: visibility, cancellationToken: cancellationToken);
                    PopReceipt = receipt.Value.PopReceipt;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
            catch (Azure.RequestFailedException)
            {
                // Lost the message (storage hiccup): it may come back to another worker; settling will say so.
            }
        }
    }
}
