using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using PeerMatch.Intake;

namespace PeerMatch.Functions.Http;

/// <summary>
/// Reads JSON or form-encoded bodies of at most 64 KiB: the intake body into a <see cref="RawIntake"/>,
/// small bodies (an answer, an address) into their fields; or says, as a problem, why it cannot.
/// </summary>
public static class RequestBodies
{
    public const int MaxBytes = 64 * 1024;

    public sealed record Read(RawIntake? Intake, ValidationErrors Errors, ProblemHttpResult? Problem, bool IsForm);

    /// <summary>A small body's text fields (JSON strings or form values; an empty body has none).</summary>
    public sealed record Fields(IReadOnlyDictionary<string, string> Values, ProblemHttpResult? Problem)
    {
        public string? this[string name] => Values.GetValueOrDefault(name);
    }

    public static async Task<Read> ReadIntakeAsync(HttpRequest request, IntakeShape shape, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var (body, isForm, problem) = await ReadBodyAsync(request, allowEmpty: false, cancellationToken);
        if (problem is not null)
        {
            return new(null, errors, problem, isForm);
        }
        if (isForm)
        {
            return new(IntakeFormReader.Read(FormFields(body!), shape, errors), errors, null, true);
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

    public static async Task<Fields> ReadFieldsAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (body, isForm, problem) = await ReadBodyAsync(request, allowEmpty: true, cancellationToken);
        if (problem is not null)
        {
            return new(new Dictionary<string, string>(), problem);
        }
        if (body!.Length == 0)
        {
            return new(new Dictionary<string, string>(), null);
        }
        if (isForm)
        {
            return new(FormFields(body).ToDictionary(f => f.Key, f => f.Value.LastOrDefault() ?? "", StringComparer.Ordinal), null);
        }
        try
        {
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 4 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return new(new Dictionary<string, string>(), TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The body must be a JSON object."));
            }
            var values = document.RootElement.EnumerateObject()
                .Where(p => p.Value.ValueKind == JsonValueKind.String)
                .ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);
            return new(values, null);
        }
        catch (JsonException e)
        {
            return new(new Dictionary<string, string>(), Problems.MalformedJson(e));
        }
    }

    private static async Task<(byte[]? Body, bool IsForm, ProblemHttpResult? Problem)> ReadBodyAsync(HttpRequest request, bool allowEmpty, CancellationToken cancellationToken)
    {
        var contentType = MediaTypeHeaderValue.TryParse(request.ContentType, out var parsed) ? parsed.MediaType.Value : null;
        var isJson = contentType is not null && (contentType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || contentType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
        var isForm = string.Equals(contentType, "application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);
        if (!isJson && !isForm)
        {
            var empty = request.ContentLength is null or 0 && request.Headers.TransferEncoding.Count == 0;
            return allowEmpty && empty ? ([], false, null) : (null, false, Problems.UnsupportedMediaType());
        }
        var body = await ReadBoundedAsync(request, cancellationToken);
        return body is null ? (null, isForm, Problems.TooLarge()) : (body, isForm, null);
    }

    private static IEnumerable<KeyValuePair<string, string[]>> FormFields(byte[] body) =>
        QueryHelpers.ParseQuery("?" + System.Text.Encoding.UTF8.GetString(body))
            .Select(f => KeyValuePair.Create(f.Key, f.Value.Select(v => v ?? "").ToArray()));

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
