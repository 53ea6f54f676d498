using PeerMatch.Functions;
using PeerMatch.Functions.Email;
using PeerMatch.Functions.Health;
using PeerMatch.Functions.Hosting;
using PeerMatch.Functions.Http;
using PeerMatch.Functions.Intake;
using PeerMatch.Functions.Matching;
using PeerMatch.Functions.Organizer;
using PeerMatch.Functions.Outreach;
using PeerMatch.Functions.Settings;
using PeerMatch.Functions.Storage;

var builder = WebApplication.CreateSlimBuilder(args);
var underFunctionsHost = CustomHandlerApi.UnderFunctionsHost(builder.Configuration);
if (underFunctionsHost)
{
    // The Functions host calls its custom handler on loopback, on the port it chose.
    builder.WebHost.UseUrls($"http://127.0.0.1:{builder.Configuration[CustomHandlerApi.PortSetting]}");
}
else if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
{
    builder.WebHost.UseUrls("http://localhost:7071");
}

// Settings, checked at start-up.
builder.Services.AddOptions<PeerMatchOptions>().BindConfiguration(PeerMatchOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddOptions<EmailOptions>().BindConfiguration(EmailOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddOptions<SendGridOptions>().BindConfiguration(SendGridOptions.Section);
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddProblemDetails();
builder.Services.AddPeerMatchRateLimits(builder.Configuration);
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJson.Default));

// Storage (Azurite locally), e-mail (SendGrid or the outbox folder), and the features.
builder.Services.AddStorage();
builder.Services.AddEmail(builder.Configuration);
builder.Services.AddIntake();
builder.Services.AddMatching();

// Timer and queue functions: described by the function.json files, run by the host or in-process.
var catalog = FunctionCatalog.Load(AppContext.BaseDirectory);
builder.Services.AddSingleton(catalog);
builder.Services.AddSingleton<FunctionInvoker>();
if (!underFunctionsHost)
{
    builder.Services.AddHostedService<StandaloneTriggers>();
}

var app = builder.Build();
FunctionInvoker.EnsureEveryFunctionIsImplemented(catalog, app.Services);

app.UseExceptionHandler();
app.UseStatusCodePages();
app.Use(SecurityHeaders.ApplyAsync);
app.UseRateLimiter();

app.MapCustomHandler(acceptInvocations: underFunctionsHost);
app.MapHealth();
app.MapIntake();
app.MapProfile();
app.MapUnsubscribe();
app.MapSuggestions();
app.MapOrganizer();

app.Run();

public partial class Program;
