using System.Reflection;
using Azure.Storage.Queues.Models;
using Microsoft.Azure.Functions.Worker;

namespace PeerMatch.Functions.Hosting;

public enum TriggerKind { Http, Timer, Queue }

/// <summary>
/// One <c>[Function]</c> as its attributes declare it: the same attributes the Worker SDK turns into
/// <c>functions.metadata</c> for the Functions host, so the standalone runner and the host read one declaration.
/// </summary>
public sealed record FunctionDescriptor(
    string Name,
    TriggerKind Trigger,
    MethodInfo Method,
    string? Route = null,
    IReadOnlyList<string>? HttpMethods = null,
    string? Schedule = null,
    string? DefaultSchedule = null,
    string? QueueName = null)
{
    /// <summary>How long the gate lets the function take before it answers 503 instead.</summary>
    public TimeSpan Deadline { get; } = Method.GetCustomAttribute<AnswerWithinAttribute>() is { } within
        ? TimeSpan.FromSeconds(within.Seconds)
        : HttpGate.Deadline;
}

/// <summary>Every <c>[Function]</c> of this app, found once by reflection.</summary>
public sealed class FunctionCatalog(IReadOnlyList<FunctionDescriptor> functions)
{
    public IReadOnlyList<FunctionDescriptor> Functions { get; } = functions;

    public FunctionDescriptor Get(string name) =>
        Functions.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new InvalidOperationException($"No function named {name}.");

    public static FunctionCatalog Discover(Assembly assembly)
    {
        var functions = new List<FunctionDescriptor>();
        foreach (var method in assembly.GetTypes().SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)))
        {
            if (method.GetCustomAttribute<FunctionAttribute>() is not { } function)
            {
                continue;
            }
            var triggers = method.GetParameters()
                .Select(p => (Parameter: p, Attribute: p.GetCustomAttributes().FirstOrDefault(a => a is HttpTriggerAttribute or TimerTriggerAttribute or QueueTriggerAttribute)))
                .Where(p => p.Attribute is not null)
                .ToList();
            if (triggers.Count != 1)
            {
                throw new InvalidOperationException($"Function {function.Name} needs exactly one HTTP, timer or queue trigger.");
            }
            var descriptor = triggers[0].Attribute switch
            {
                HttpTriggerAttribute http => new FunctionDescriptor(function.Name, TriggerKind.Http, method,
                    Route: http.Route ?? throw new InvalidOperationException($"Function {function.Name}: declare its route."),
                    HttpMethods: http.Methods?.Select(m => m.ToUpperInvariant()).ToList() ?? throw new InvalidOperationException($"Function {function.Name}: declare its HTTP methods.")),
                TimerTriggerAttribute timer => new FunctionDescriptor(function.Name, TriggerKind.Timer, method,
                    Schedule: timer.Schedule, DefaultSchedule: method.GetCustomAttribute<DefaultScheduleAttribute>()?.Schedule),
                QueueTriggerAttribute queue => new FunctionDescriptor(function.Name, TriggerKind.Queue, method, QueueName: queue.QueueName),
                _ => throw new InvalidOperationException("Unreachable."),
            };
            EnsureStandaloneCanBind(descriptor);
            functions.Add(descriptor);
        }
        return new FunctionCatalog(functions.OrderBy(f => f.Name, StringComparer.Ordinal).ToList());
    }

    /// <summary>Fails start-up (and the tests) when a function asks for something only the Functions host could give it.</summary>
    private static void EnsureStandaloneCanBind(FunctionDescriptor function)
    {
        var returns = function.Method.ReturnType;
        if (returns != typeof(Task) && !(returns.IsGenericType && returns.GetGenericTypeDefinition() == typeof(Task<>))
            && !typeof(IResult).IsAssignableFrom(returns))
        {
            throw new InvalidOperationException($"Function {function.Name}: return Task, Task<T> or an IResult.");
        }
        var routeValues = function.Route is null ? [] : RouteParameters(function.Route);
        foreach (var parameter in function.Method.GetParameters())
        {
            var type = parameter.ParameterType;
            var bindable = type == typeof(CancellationToken)
                || function.Trigger switch
                {
                    TriggerKind.Http => type == typeof(Microsoft.AspNetCore.Http.HttpRequest) || (type == typeof(string) && routeValues.Contains(parameter.Name!)),
                    TriggerKind.Timer => type == typeof(TimerInfo),
                    TriggerKind.Queue => type == typeof(QueueMessage),
                    _ => false,
                };
            if (!bindable)
            {
                throw new InvalidOperationException($"Function {function.Name}: parameter '{parameter.Name}' ({type.Name}) cannot be bound when the app runs standalone.");
            }
        }
    }

    private static HashSet<string> RouteParameters(string route) =>
        route.Split('/').Where(s => s.StartsWith('{') && s.EndsWith('}')).Select(s => s[1..^1].Split(':')[0].TrimEnd('?')).ToHashSet(StringComparer.OrdinalIgnoreCase);
}

/// <summary>
/// On an HTTP function that does more than a person waits for (a list of 10,000 to check): its own deadline,
/// instead of the gate's few seconds.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AnswerWithinAttribute(int seconds) : Attribute
{
    public int Seconds { get; } = seconds;
}

/// <summary>
/// On a timer function whose schedule is a setting (<c>%Name%</c>): the schedule when the setting is
/// not set. Standalone reads it here; for the Functions host, which needs every <c>%Name%</c> set, the
/// same value is in <c>local.settings.json.example</c> and in <c>infra/</c> (a test keeps the three equal).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class DefaultScheduleAttribute(string schedule) : Attribute
{
    public string Schedule { get; } = schedule;
}
