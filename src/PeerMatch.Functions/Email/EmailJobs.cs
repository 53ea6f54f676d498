using System.Text.Json;
using System.Text.Json.Serialization;
using PeerMatch.Email;
using PeerMatch.Functions.Storage;
using PeerMatch.Intake;

namespace PeerMatch.Functions.Email;

/// <summary>One e-mail to send, as it travels on the <c>email</c> queue. It names an id, never an address.</summary>
public sealed record EmailJob(string JobId, EmailKind Kind, string PractitionerId);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, Converters = [typeof(EmailKindConverter)])]
[JsonSerializable(typeof(EmailJob))]
internal sealed partial class EmailJobJson : JsonSerializerContext;

/// <summary>Kinds travel as they read in the e-mail header: "manage-link", not "ManageLink".</summary>
internal sealed class EmailKindConverter() : JsonStringEnumConverter<EmailKind>(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false);

/// <summary>Puts e-mail jobs on the queue that the <c>SendEmail</c> function drains.</summary>
public sealed class EmailJobScheduler(StorageAccount storage) : IEmailScheduler
{
    public const string QueueName = "email";

    public async Task EnqueueAsync(EmailKind kind, string practitionerId, CancellationToken cancellationToken)
    {
        var queue = await storage.QueueAsync(QueueName, cancellationToken);
        var job = new EmailJob(Guid.NewGuid().ToString("N"), kind, practitionerId);
        await queue.SendMessageAsync(JsonSerializer.Serialize(job, EmailJobJson.Default.EmailJob), cancellationToken);
    }

    public static EmailJob? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize(text, EmailJobJson.Default.EmailJob);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
