using System.Text.Json;
using System.Text.Json.Serialization;
using PeerMatch.Email;
using PeerMatch.Functions.Storage;

namespace PeerMatch.Functions.Email;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, Converters = [typeof(EmailKindConverter)])]
[JsonSerializable(typeof(EmailJob))]
internal sealed partial class EmailJobJson : JsonSerializerContext;

/// <summary>Kinds travel by their name, as they read in the e-mail header: "manage-link".</summary>
internal sealed class EmailKindConverter : JsonConverter<EmailKind>
{
    public override EmailKind Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetString() is { Length: > 0 } name ? new EmailKind(name) : throw new JsonException("An e-mail kind is a name.");

    public override void Write(Utf8JsonWriter writer, EmailKind value, JsonSerializerOptions options) => writer.WriteStringValue(value.Name);
}

/// <summary>Schedules e-mail on the <c>email</c> queue, where jobs wait for the <c>SendEmail</c> function.</summary>
public sealed class QueuedEmailScheduler(StorageAccount storage) : IEmailScheduler
{
    public const string QueueName = "email";

    public Task EnqueueAsync(EmailJob job, CancellationToken cancellationToken) => EnqueueAsync(job, delay: null, cancellationToken);

    /// <summary>Queues the job to be picked up after <paramref name="delay"/> (a retry's wait), or at once.</summary>
    public async Task EnqueueAsync(EmailJob job, TimeSpan? delay, CancellationToken cancellationToken)
    {
        var queue = await storage.QueueAsync(QueueName, cancellationToken);
        await queue.SendMessageAsync(Serialize(job), visibilityTimeout: delay, cancellationToken: cancellationToken);
    }

    public static string Serialize(EmailJob job) => JsonSerializer.Serialize(job, EmailJobJson.Default.EmailJob);

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
