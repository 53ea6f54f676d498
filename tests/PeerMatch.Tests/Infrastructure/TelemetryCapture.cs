using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace PeerMatch.Tests.Infrastructure;

/// <summary>
/// Everything an app writes to its logs (messages, their values, scopes and exceptions) and every span it
/// records (names, tags, events), as text to search. Spans are heard process-wide: other tests' spans come
/// along, which only makes a search for leaks stricter.
/// </summary>
public sealed class TelemetryCapture : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<string> _entries = new();
    private readonly ActivityListener _spans;
    private IExternalScopeProvider? _scopes;

    public TelemetryCapture()
    {
        _spans = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = span => _entries.Enqueue(
                $"span {span.Source.Name} {span.DisplayName} {string.Join(' ', span.TagObjects.Select(t => $"{t.Key}={t.Value}"))} "
                + string.Join(' ', span.Events.Select(e => $"{e.Name} {string.Join(' ', e.Tags.Select(t => $"{t.Key}={t.Value}"))}"))),
        };
        ActivitySource.AddActivityListener(_spans);
    }

    public IReadOnlyCollection<string> Entries => _entries;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose() => _spans.Dispose();

    private sealed class Logger(TelemetryCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => capture._scopes?.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(' ', pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            var scopes = new List<string>();
            capture._scopes?.ForEachScope((scope, list) => list.Add(scope is IEnumerable<KeyValuePair<string, object?>> s
                ? string.Join(' ', s.Select(p => $"{p.Key}={p.Value}")) : scope?.ToString() ?? ""), scopes);
            capture._entries.Enqueue($"log {logLevel} {category} {formatter(state, exception)} {values} {string.Join(' ', scopes)} {exception}");
        }
    }
}
