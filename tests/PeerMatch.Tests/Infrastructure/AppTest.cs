namespace PeerMatch.Tests.Infrastructure;

/// <summary>A test class with its own application (own table prefix, outbox and clock) and a client for it.</summary>
public abstract class AppTest(PeerMatchApp? app = null) : IAsyncLifetime
{
    protected PeerMatchApp App { get; } = app ?? new PeerMatchApp();

    protected HttpClient Client { get; private set; } = null!;

    public virtual Task InitializeAsync()
    {
        Client = App.CreateClient();
        return Task.CompletedTask;
    }

    public virtual async Task DisposeAsync() => await App.DisposeAsync();
}
