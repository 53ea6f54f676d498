using Microsoft.Extensions.Options;
using PeerMatch.Functions.Http;
using PeerMatch.Email;
using PeerMatch.Functions;
using PeerMatch.Functions.Email;
using PeerMatch.Functions.Health;
using PeerMatch.Functions.Hosting;
using PeerMatch.Functions.Intake;
using PeerMatch.Functions.Links;
using PeerMatch.Functions.Matching;
using PeerMatch.Functions.Organizer;
using PeerMatch.Functions.Outreach;
using PeerMatch.Functions.Settings;
using PeerMatch.Functions.Storage;
using PeerMatch.Intake;
using SendGrid;

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
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJson.Default));

// Storage: Azure Tables, Queues and Blobs (Azurite locally).
builder.Services.AddSingleton<StorageAccount>();
builder.Services.AddSingleton<SigningKeyStore>();
builder.Services.AddSingleton<LinkSigner>();
builder.Services.AddSingleton<IPractitionerRepository, PractitionerTable>();
builder.Services.AddSingleton<SuppressionTable>();
builder.Services.AddSingleton<ISuppressionList>(sp => sp.GetRequiredService<SuppressionTable>());

// E-mail: SendGrid when it has a key, otherwise .eml files in the outbox folder.
builder.Services.AddSingleton<EmailJobScheduler>();
builder.Services.AddSingleton<IEmailScheduler>(sp => sp.GetRequiredService<EmailJobScheduler>());
if (!string.IsNullOrEmpty(builder.Configuration["SendGrid:ApiKey"]))
{
    builder.Services.AddSingleton<ISendGridClient>(sp =>
    {
        var sendGrid = sp.GetRequiredService<IOptions<SendGridOptions>>().Value;
        return new SendGridClient(new SendGridClientOptions { ApiKey = sendGrid.ApiKey, Host = sendGrid.Host?.AbsoluteUri.TrimEnd('/') ?? "https://api.sendgrid.com" });
    });
    builder.Services.AddSingleton<IEmailSender, SendGridEmailSender>();
}
else
{
    builder.Services.AddSingleton<IEmailSender, OutboxEmailSender>();
}

// Features.
builder.Services.AddSingleton<PractitionerService>();
builder.Services.AddSingleton<IntakeForm>();
builder.Services.AddSingleton<SuggestionTable>();
builder.Services.AddSingleton<WeekPlanTable>();
builder.Services.AddSingleton<IntroductionTable>();
builder.Services.AddSingleton<MatchRunTable>();
foreach (var store in new[] { typeof(SuggestionTable), typeof(WeekPlanTable), typeof(IntroductionTable), typeof(MatchRunTable) })
{
    builder.Services.AddSingleton(typeof(IPersonalDataStore), sp => sp.GetRequiredService(store));
}
builder.Services.AddSingleton<ModelStore>();
builder.Services.AddSingleton<Retraining>();
builder.Services.AddSingleton<MatchRunner>();
builder.Services.AddInvokedFunction<SendEmailFunction>("SendEmail");
builder.Services.AddInvokedFunction<PurgeUnconfirmedFunction>(PurgeUnconfirmedFunction.Name);
builder.Services.AddInvokedFunction<MatchRunFunction>(MatchRunFunction.Name);
builder.Services.AddInvokedFunction<WeeklyMatchDigestFunction>(WeeklyMatchDigestFunction.Name);
builder.Services.AddInvokedFunction<RetrainMatchModelFunction>(RetrainMatchModelFunction.Name);

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

app.MapCustomHandler(acceptInvocations: underFunctionsHost);
app.MapHealth();
app.MapIntake();
app.MapProfile();
app.MapUnsubscribe();
app.MapSuggestions();
app.MapOrganizer();

app.Run();

public partial class Program;
