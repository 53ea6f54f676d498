using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using PeerMatch.Intake;

namespace PeerMatch.Functions.Http;

/// <summary>
/// Reads a JSON or form-encoded body of at most 64 KiB into a <see cref="RawIntake"/>, or says,
/// as a problem, why it cannot.
/// </summary>
public static class RequestBodies
{
    public const int MaxBytes = 64 * 1024;

    public sealed record Read(RawIntake? Intake, ValidationErrors Errors, ProblemHttpResult? Problem, bool IsForm);

    public static async Task<Read> ReadIntakeAsync(HttpRequest request, IntakeShape shape, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var contentType = MediaTypeHeaderValue.TryParse(request.ContentType, out var parsed) ? parsed.MediaType.Value : null;
        var isJson = contentType is not null && (contentType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || contentType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
        var isForm = string.Equals(contentType, "application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);
        if (!isJson && !isForm)
        {
            return new(null, errors, Problems.UnsupportedMediaType(), false);
        }

        var body = await ReadBoundedAsync(request, cancellationToken);
        if (body is null)
        {
            return new(null, errors, Problems.TooLarge(), isForm);
        }

        if (isForm)
        {
            var fields = QueryHelpers.ParseQuery("?" + System.Text.Encoding.UTF8.GetString(body));
            var form = fields.Select(f => KeyValuePair.Create(f.Key, f.Value.Select(v => v ?? "").ToArray()));
            return new(IntakeFormReader.Read(form, shape, errors), errors, null, true);
        }

        try
        {
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 8 });
            return new(IntakeJsonReader.Read(document.RootElement, shape, errors), errors, null, false);
        }
        catch (JsonException e)
        {
            return new(null, errors, Problems.MalformedJson(e), false);
        }
    }

    /// <summary>The body, or null when it is larger than <see cref="MaxBytes"/> (whatever Content-Length claims).</summary>
    private static async Task<byte[]?> ReadBoundedAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBytes)
        {
            return null;
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
