namespace PeerMatch.Tests.Infrastructure;

/// <summary>
/// A flow an organizer drives, on Azurite: the client carries the organizer key, and the app's clock starts on
/// <see cref="MondayUtc"/>.
/// </summary>
public abstract class OrganizerFlowTest(PeerMatchApp? app = null) : AppTest(app)
{
    /// <summary>Monday 30 November 2026, 17:00 UTC: 09:00 in Oakland, 17:00 in London.</summary>
    protected static readonly DateTimeOffset MondayUtc = new(2026, 11, 30, 17, 0, 0, TimeSpan.Zero);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Client.DefaultRequestHeaders.Add("x-functions-key", PeerMatchApp.OrganizerKey);
        App.Clock.SetUtcNow(MondayUtc);
    }
}
