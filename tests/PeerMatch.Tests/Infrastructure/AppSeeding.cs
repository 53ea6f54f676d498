using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PeerMatch.Matching;
using PeerMatch.Practitioners;

namespace PeerMatch.Tests.Infrastructure;

/// <summary>Practitioners stored straight into the app's storage, and matching runs started and awaited as an organizer would.</summary>
public static class AppSeeding
{
    public static Task SeedAsync(this PeerMatchApp app, params Candidate[] people) => app.SeedAsync(PractitionerStatus.Active, people);

    public static async Task SeedAsync(this PeerMatchApp app, PractitionerStatus status, Candidate[] people, DateOnly? pausedUntil = null)
    {
        var repository = app.Services.GetRequiredService<IPractitionerRepository>();
        var now = app.Clock.GetUtcNow();
        foreach (var person in people)
        {
            Assert.True(await repository.TryCreateAsync(new Practitioner(person.Id, person.Profile, status, now, now, status == PractitionerStatus.Active ? now : null, pausedUntil), default));
        }
    }

    /// <summary>Starts a matching run through the organizer route (the client carries the key) and waits for it to complete.</summary>
    public static async Task<JsonObject> RunMatchAsync(this HttpClient organizer, bool force = false, bool dryRun = false)
    {
        using var started = await organizer.PostAsJsonAsync("/api/organizer/match-runs", new { dryRun, force });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var runId = (await started.Content.ReadFromJsonAsync<JsonObject>())!["runId"]!.GetValue<string>();
        var status = await Eventually.Async(async () => (await organizer.GetFromJsonAsync<JsonObject>($"/api/organizer/match-runs/{runId}"))!,
            run => run["status"]!.GetValue<string>() != "running", $"match run {runId} to finish");
        Assert.Equal("completed", status["status"]!.GetValue<string>());
        return status;
    }
}
