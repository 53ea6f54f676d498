namespace PeerMatch.Tests.Infrastructure;

/// <summary>
/// The one way a test waits: it polls for what it asserts until that holds or a deadline passes, never sleeps a fixed
/// time first. On the deadline it fails with what it was waiting for and what it last saw.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(50);

    /// <summary>Reads until what is read is <paramref name="done"/>; returns it.</summary>
    public static async Task<T> Async<T>(Func<Task<T>> read, Func<T, bool> done, string waitingFor, TimeSpan? timeout = null, TimeSpan? pause = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (true)
        {
            var seen = await read();
            if (done(seen))
            {
                return seen;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited {timeout ?? DefaultTimeout} for {waitingFor}; last saw: {Describe(seen)}");
            }
            await Task.Delay(pause ?? Pause);
        }
    }

    /// <summary>Until <paramref name="condition"/> holds.</summary>
    public static Task UntilAsync(Func<Task<bool>> condition, string waitingFor, TimeSpan? timeout = null, TimeSpan? pause = null) =>
        Async(condition, held => held, waitingFor, timeout, pause);

    /// <summary>Until <paramref name="condition"/> holds.</summary>
    public static Task UntilAsync(Func<bool> condition, string waitingFor, TimeSpan? timeout = null, TimeSpan? pause = null) =>
        Async(() => Task.FromResult(condition()), held => held, waitingFor, timeout, pause);

    /// <summary>Until <paramref name="read"/> gives something (not null); returns it.</summary>
    public static async Task<T> FoundAsync<T>(Func<Task<T?>> read, string waitingFor, TimeSpan? timeout = null) where T : class =>
        (await Async(read, found => found is not null, waitingFor, timeout))!;

    private static string Describe(object? seen) => seen switch
    {
        null => "nothing",
        bool held => held ? "true" : "not yet",
        _ => seen.ToString() ?? "",
    };
}
