using System.Diagnostics;
using System.Reflection;
using Microsoft.Extensions.Hosting;

namespace PeerMatch.Tests.Infrastructure;

/// <summary>
/// The app as the Functions host starts it (<c>--functions-uri …</c>), built but never run: the worker
/// would connect to the host's gRPC endpoint, which does not exist here. Program's own code builds it;
/// the host is taken from the "HostBuilt" diagnostic event, as WebApplicationFactory does for web hosts.
/// </summary>
public static class WorkerHost
{
    public static IHost Build(params string[] settings)
    {
        IHost? built = null;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            var ours = Environment.CurrentManagedThreadId;
            var events = new List<IDisposable>();
            using var listeners = DiagnosticListener.AllListeners.Subscribe(new Observer<DiagnosticListener>(listener =>
            {
                if (listener.Name == "Microsoft.Extensions.Hosting")
                {
                    events.Add(listener.Subscribe(new Observer<KeyValuePair<string, object?>>(e =>
                    {
                        // Other tests build hosts at the same time, on other threads: only this thread's host is ours.
                        if (e.Key == "HostBuilt" && Environment.CurrentManagedThreadId == ours)
                        {
                            built = (IHost)e.Value!;
                            throw new StopBeforeRun();
                        }
                    })));
                }
            }));
            try
            {
                string[] args = ["--functions-uri", "http://127.0.0.1:9/", "--functions-worker-id", "test", .. settings.Select(s => "--" + s)];
                typeof(Program).Assembly.EntryPoint!.Invoke(null, [args]);
            }
            catch (TargetInvocationException e) when (e.InnerException is StopBeforeRun)
            {
            }
            catch (Exception e)
            {
                failure = e;
            }
            finally
            {
                events.ForEach(e => e.Dispose());
            }
        });
        thread.Start();
        thread.Join();
        return built ?? throw new InvalidOperationException("Program did not build a host.", failure);
    }

    private sealed class StopBeforeRun : Exception;

    private sealed class Observer<T>(Action<T> onNext) : IObserver<T>
    {
        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }

        public void OnNext(T value) => onNext(value);
    }
}
