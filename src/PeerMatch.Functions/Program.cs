using Microsoft.Azure.Functions.Worker.Builder;
using PeerMatch.Functions.Access;
using PeerMatch.Functions.Email;
using PeerMatch.Functions.Groups;
using PeerMatch.Functions.Health;
using PeerMatch.Functions.Hosting;
using PeerMatch.Functions.Http;
using PeerMatch.Functions.Intake;
using PeerMatch.Functions.Invitations;
using PeerMatch.Functions.Links;
using PeerMatch.Functions.Matching;
using PeerMatch.Functions.Organizer;
using PeerMatch.Functions.Settings;
using PeerMatch.Functions.Storage;

// One application, two hosts: the Azure Functions host starts it as an isolated worker; scripts/run.sh
// and the tests start it standalone, where it serves the same routes and runs the same triggers itself.
var underFunctionsHost = FunctionsHosting.IsStartedByHost(args);

// Matching and ranking run CPU-bound loops on pool threads in the process that answers requests. With only one thread
// a core at hand, a request arriving meanwhile waits for the pool to grow (a thread every half second or so) and can
// miss the gate's deadline: keep a few spare threads ready.
ThreadPool.GetMinThreads(out var minWorkers, out var minIo);
ThreadPool.SetMinThreads(Math.Max(minWorkers, 8 * Environment.ProcessorCount), minIo);
IHostApplicationBuilder builder = underFunctionsHost ? FunctionsHosting.CreateBuilder(args) : StandaloneFunctions.CreateBuilder(args);

// Settings, checked at start-up.
builder.Services.AddOptions<PeerMatchOptions>().BindConfiguration(PeerMatchOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddOptions<EmailOptions>().BindConfiguration(EmailOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddOptions<SendGridOptions>().BindConfiguration(SendGridOptions.Section);
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddRazorComponents();
builder.Services.AddApiJson(HttpJson.Default);
builder.AddTelemetry(underFunctionsHost);
// Request logging names full URLs, and links carry tokens in their query: it logs warnings only.
builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);

// The functions (found once, by their attributes), host.json, and the gate every HTTP function passes.
builder.Services.AddSingleton(FunctionCatalog.Discover(typeof(Program).Assembly));
builder.Services.AddSingleton(HostJson.Load(AppContext.BaseDirectory));
builder.Services.AddSingleton<HttpGate>();

// Storage (Azurite locally), links, e-mail (SendGrid or the outbox folder), the organizer key, and the features.
builder.Services.AddStorage();
builder.Services.AddLinks();
builder.Services.AddEmail(builder.Configuration);
builder.Services.AddAccess();
builder.Services.AddInvitations();
builder.Services.AddIntake();
builder.Services.AddMatching();
builder.Services.AddGroups();
builder.Services.AddOrganizer();
builder.Services.AddHealth();

if (builder is WebApplicationBuilder standalone)
{
    var app = standalone.Build();
    app.MapFunctions();
    app.Run();
}
else
{
    ((FunctionsApplicationBuilder)builder).Build().Run();
}

public partial class Program;
