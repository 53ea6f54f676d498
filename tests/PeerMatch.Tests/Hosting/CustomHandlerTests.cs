using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PeerMatch.Tests.Infrastructure;

namespace PeerMatch.Tests.Hosting;

/// <summary>The app as the Functions host sees it: a probe on GET /, invocation payloads on POST /{FunctionName}.</summary>
public sealed class CustomHandlerTests() : AppTest(new PeerMatchApp(new() { ["FUNCTIONS_CUSTOMHANDLER_PORT"] = "47071" }))
{
    [Fact]
    public async Task The_readiness_probe_answers()
    {
        using var response = await Client.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_timer_invocation_runs_the_function_and_answers_in_the_hosts_shape()
    {
        // A sign-up whose confirmation link expired: the daily purge must remove it.
        await Intakes.PostAsync(Client, Intakes.Valid());
        await WaitUntilAsync(async () => (await App.RowsAsync("Practitioners")).Count == 1);
        App.Clock.Offset = TimeSpan.FromDays(8);

        using var response = await InvokeAsync("PurgeUnconfirmedIntakes", """
            {"Data":{"timer":{"Schedule":{"AdjustForDST":true},"ScheduleStatus":{"Last":"2026-11-26T03:15:00+00:00","Next":"2026-11-27T03:15:00+00:00","LastUpdated":"2026-11-26T03:15:00+00:00"},"IsPastDue":false}},
             "Metadata":{"sys":{"MethodName":"PurgeUnconfirmedIntakes","UtcNow":"2026-11-27T03:15:00.0123Z","RandGuid":"6d7f3c1e-1b51-4a0e-9d1c-2f0b6d0c1a11"}}}
            """);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.NotNull(result!["Outputs"]!.AsObject());
        Assert.Contains("Removed 1 unconfirmed", result["Logs"]!.AsArray()[0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(1, result["ReturnValue"]!.GetValue<int>());
        Assert.Empty(await App.RowsAsync("Practitioners"));
        Assert.Empty(await App.RowsAsync("EmailIndex"));
    }

    [Fact]
    public async Task A_queue_invocation_sends_the_email_once_even_when_delivered_twice()
    {
        // Under the host nothing drains the queue in-process: take the job off it as the host would.
        await Intakes.PostAsync(Client, Intakes.Valid());
        var queue = App.Queue("email");
        var message = (await queue.ReceiveMessageAsync()).Value;
        // The host may hand the message text over JSON-encoded a second time.
        var payload = new JsonObject
        {
            ["Data"] = new JsonObject { ["msg"] = JsonSerializer.Serialize(message.Body.ToString()) },
            ["Metadata"] = new JsonObject { ["DequeueCount"] = 1, ["Id"] = message.MessageId },
        }.ToJsonString();

        using var first = await InvokeAsync("SendEmail", payload);
        using var second = await InvokeAsync("SendEmail", payload);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        await App.Outbox.WaitForAsync("ada@example.org", "confirmation");
        Assert.Single(App.Outbox.All());
    }

    [Fact]
    public async Task Invocation_routes_are_closed_to_requests_without_the_hosts_headers()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/PurgeUnconfirmedIntakes") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };

        using var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("Intake")]
    [InlineData("Health")]
    [InlineData("NoSuchFunction")]
    public async Task Only_timer_and_queue_functions_can_be_invoked(string name)
    {
        using var response = await InvokeAsync(name, "{\"Data\":{},\"Metadata\":{}}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task A_failing_invocation_answers_non_2xx_so_the_host_retries()
    {
        // A job for someone who does not exist is dropped, not failed; a job that is not JSON is ignored.
        using var ignored = await InvokeAsync("SendEmail", "{\"Data\":{\"msg\":\"not a job\"},\"Metadata\":{}}");
        Assert.Equal(HttpStatusCode.OK, ignored.StatusCode);

        using var broken = await InvokeAsync("SendEmail", "{\"Data\":");
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
    }

    private Task<HttpResponseMessage> InvokeAsync(string function, string payload)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/" + function) { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Azure-Functions-InvocationId", Guid.NewGuid().ToString());
        request.Headers.Add("X-Azure-Functions-HostVersion", "4.1043.200.1");
        return Client.SendAsync(request);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 100 && !await condition(); i++)
        {
            await Task.Delay(50);
        }
    }
}
