using System.Text.Json;
using System.Text.Json.Serialization;
using PeerMatch.Email;
using PeerMatch.Functions.Storage;
using PeerMatch.Intake;

namespace PeerMatch.Functions.Email;

/// <summary>
/// One e-mail to send, as it travels on the <c>email</c> queue. It names ids, never an address.
/// <see cref="Context"/> says what the message is about: the week of a digest, the peer of an introduction.
/// </summary>
public sealed record EmailJob(string JobId, EmailKind Kind, string PractitionerId, string? Context = null);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, Converters = [typeof(EmailKindConverter)])]
[JsonSerializable(typeof(EmailJob))]
internal sealed partial class EmailJobJson : JsonSerializerContext;

/// <summary>Kinds travel as they read in the e-mail header: "manage-link", not "ManageLink".</summary>
internal sealed class EmailKindConverter() : JsonStringEnumConverter<EmailKind>(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false);

/// <summary>Puts e-mail jobs on the queue that the <c>SendEmail</c> function drains.</summary>
public sealed class EmailJobScheduler(StorageAccount storage) : IEmailScheduler
{
    public const string QueueName = "email";

    public Task EnqueueAsync(EmailKind kind, string practitionerId, CancellationToken cancellationToken) =>
        EnqueueAsync(new EmailJob(Guid.NewGuid().ToString("N"), kind, practitionerId), cancellationToken);

    /// <summary>
    /// Queues a job. A job id derived from what the message is about ("digest-2026-W49") makes a
    /// repeated enqueue harmless: the worker sends each job id once.
    /// </summary>
    public async Task EnqueueAsync(EmailJob job, CancellationToken cancellationToken)
    {
        var queue = await storage.QueueAsync(QueueName, cancellationToken);
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
