using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using PeerMatch.Functions.Email;
using PeerMatch.Tests.Infrastructure;

namespace PeerMatch.Tests.Hosting;

/// <summary>With SendGrid__ApiKey set, mail goes through the real SendGrid client to SendGrid__Host.</summary>
public sealed class SendGridTests
{
    [Fact]
    public async Task Messages_go_through_sendgrid_with_the_kind_and_unsubscribe_headers()
    {
        await using var sendGrid = await FakeSendGrid.StartAsync();
        await using var app = SendGridApp(sendGrid);
        using var client = app.CreateClient();

        await Intakes.SignUpAndConfirmViaAsync(sendGrid, client, "ada@example.org");
        app.Clock.Advance(TimeSpan.FromMinutes(11));
        await Intakes.PostAsync(client, Intakes.Valid());
        var manage = await WaitForAsync(sendGrid, "manage-link");

        Assert.Equal("ada@example.org", manage["personalizations"]![0]!["to"]![0]!["email"]!.GetValue<string>());
        var headers = manage["headers"]!.AsObject();
        Assert.StartsWith(PeerMatchApp.PublicBaseUrl + "/api/unsubscribe?token=", headers["List-Unsubscribe"]!.GetValue<string>().TrimStart('<'), StringComparison.Ordinal);
        Assert.Equal("List-Unsubscribe=One-Click", headers["List-Unsubscribe-Post"]!.GetValue<string>());
        Assert.Contains(manage["content"]!.AsArray(), c => c!["type"]!.GetValue<string>() == "text/plain" && c["value"]!.GetValue<string>().Contains("/api/me?token=", StringComparison.Ordinal));
        Assert.Empty(app.Outbox.All());
    }

    [Theory]
    [InlineData(429, 503)]
    [InlineData(503, 503, 503, 503, 503, 503, 503)] // more failures in a row than the queue's own five tries would survive
    public async Task Failures_that_may_pass_are_recorded_and_tried_again_until_the_message_is_sent_once(params int[] failures)
    {
        await using var sendGrid = await FakeSendGrid.StartAsync();
        sendGrid.Script(failures);
        await using var app = SendGridApp(sendGrid);
        using var client = app.CreateClient();

        await Intakes.PostAsync(client, Intakes.Valid());

        await WaitForAsync(sendGrid, "confirmation");
        await app.DrainAsync();
        Assert.Single(sendGrid.Accepted);
        Assert.Equal(failures.Length + 1, sendGrid.Requests);
        var delivery = Assert.Single(await app.RowsAsync(DeliveryTable.Name));
        Assert.Equal("sent", delivery.GetString("State"));
        Assert.Equal(failures.Length, delivery.GetInt32("Attempts"));
    }

    [Fact]
    public async Task A_message_sendgrid_refuses_is_recorded_as_failed_and_not_tried_again()
    {
        await using var sendGrid = await FakeSendGrid.StartAsync();
        sendGrid.Script(400);
        await using var app = SendGridApp(sendGrid);
        using var client = app.CreateClient();

        await Intakes.PostAsync(client, Intakes.Valid());

        var delivery = await DeliveryInStateAsync(app, "failed");
        await app.DrainAsync();
        Assert.Contains("400", delivery.GetString("Error"), StringComparison.Ordinal);
        Assert.Equal(1, sendGrid.Requests);
        Assert.Empty(sendGrid.Accepted);
    }

    [Fact]
    public async Task A_retry_whose_queued_message_was_lost_is_queued_again_by_the_resume_timer()
    {
        await using var sendGrid = await FakeSendGrid.StartAsync();
        sendGrid.Script(503);
        var log = new TelemetryCapture();
        await using var app = SendGridApp(sendGrid, retryDelay: "00:30:00", log);
        using var client = app.CreateClient();

        await Intakes.PostAsync(client, Intakes.Valid());
        // The worker records the failure, then queues the retry and says so: only then is there a retry to lose.
        await Eventually.UntilAsync(() => log.Entries.Any(e => e.Contains("trying again in", StringComparison.Ordinal)), "the retry to be queued");
        await app.Queue(QueuedEmailScheduler.QueueName).ClearMessagesAsync();
        var resume = ActivatorUtilities.CreateInstance<ResumeEmailsFunction>(app.Services);

        // Not yet overdue: the retry may still be on its way.
        app.Clock.Advance(TimeSpan.FromMinutes(35));
        await resume.RunAsync(null!, default);
        await app.DrainAsync();
        Assert.Empty(sendGrid.Accepted);

        app.Clock.Advance(TimeSpan.FromMinutes(10));
        await resume.RunAsync(null!, default);
        await WaitForAsync(sendGrid, "confirmation");
        await app.DrainAsync();
        Assert.Single(sendGrid.Accepted);
        Assert.Equal(2, sendGrid.Requests);
        // Once sent, the job's retry listing is tidied away.
        await resume.RunAsync(null!, default);
        Assert.Empty(await app.RowsAsync(DeliveryTable.RetriesName));
    }

    [Fact]
    public async Task A_message_waiting_out_an_outage_is_not_sent_once_its_recipient_unsubscribes()
    {
        await using var sendGrid = await FakeSendGrid.StartAsync();
        await using var app = SendGridApp(sendGrid, retryDelay: "00:00:03");
        using var client = app.CreateClient();
        await Intakes.SignUpAndConfirmViaAsync(sendGrid, client, "ada@example.org");
        var requests = sendGrid.Requests;

        sendGrid.Script(503);
        app.Clock.Advance(TimeSpan.FromMinutes(11));
        await Intakes.PostAsync(client, Intakes.Valid()); // a manage link, which meets the outage
        await DeliveryInStateAsync(app, "waiting");
        await app.Services.GetRequiredService<PeerMatch.Practitioners.ISuppressionList>().SuppressAsync("ada@example.org", default);

        var skipped = await DeliveryInStateAsync(app, "skipped");
        await app.DrainAsync();
        Assert.Equal(requests + 1, sendGrid.Requests);
        Assert.DoesNotContain(sendGrid.Accepted, m => m["headers"]?["X-PeerMatch-Kind"]?.GetValue<string>() == "manage-link");
        Assert.Contains("unsubscribed", skipped.GetString("Error"), StringComparison.Ordinal);
        await ActivatorUtilities.CreateInstance<ResumeEmailsFunction>(app.Services).RunAsync(null!, default);
        Assert.Empty(await app.RowsAsync(DeliveryTable.RetriesName));
    }

    private static PeerMatchApp SendGridApp(FakeSendGrid sendGrid, string retryDelay = "00:00:00.020", TelemetryCapture? log = null) => new(new()
    {
        ["SendGrid:ApiKey"] = "SG.test-key",
        ["SendGrid:Host"] = sendGrid.Address.AbsoluteUri,
        ["PeerMatch:EmailRetryDelay"] = retryDelay,
    }, services =>
    {
        if (log is not null)
        {
            services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(log);
        }
    });

    private static Task<TableEntity> DeliveryInStateAsync(PeerMatchApp app, string state) =>
        Eventually.FoundAsync(async () => (await app.RowsAsync(DeliveryTable.Name)).FirstOrDefault(d => d.GetString("State") == state), $"a delivery to be {state}");

    internal static Task<JsonObject> WaitForAsync(FakeSendGrid sendGrid, string kind) =>
        Eventually.FoundAsync(() => Task.FromResult(sendGrid.Accepted.FirstOrDefault(m => m["headers"]?["X-PeerMatch-Kind"]?.GetValue<string>() == kind)),
            $"SendGrid to receive a {kind} message");
}
