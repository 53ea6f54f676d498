using System.Text.Json.Nodes;
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

    [Fact]
    public async Task A_429_then_a_5xx_are_retried_and_the_message_is_sent_once()
    {
        await using var sendGrid = await FakeSendGrid.StartAsync();
        sendGrid.Script(429, 503);
        await using var app = SendGridApp(sendGrid);
        using var client = app.CreateClient();

        await Intakes.PostAsync(client, Intakes.Valid());

        await WaitForAsync(sendGrid, "confirmation");
        await app.DrainAsync();
        Assert.Single(sendGrid.Accepted);
        Assert.Equal(3, sendGrid.Requests);
    }

    private static PeerMatchApp SendGridApp(FakeSendGrid sendGrid) => new(new()
    {
        ["SendGrid:ApiKey"] = "SG.test-key",
        ["SendGrid:Host"] = sendGrid.Address.AbsoluteUri,
    });

    internal static async Task<JsonObject> WaitForAsync(FakeSendGrid sendGrid, string kind)
    {
        for (var i = 0; i < 300; i++)
        {
            var found = sendGrid.Accepted.FirstOrDefault(m => m["headers"]?["X-PeerMatch-Kind"]?.GetValue<string>() == kind);
            if (found is not null)
            {
                return found;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"SendGrid received no {kind} message.");
    }
}
