using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using PeerMatch.Validation;

namespace PeerMatch.Functions.Http;

/// <summary>
/// Reads JSON or form-encoded bodies of at most 64 KiB (a form with its fields, small bodies such as an answer or
/// an address into their text fields), and uploaded lists; or says, as a problem, why it cannot.
/// </summary>
public static class RequestBodies
{
    public const int MaxBytes = 64 * 1024;

    /// <summary>A small body's text fields (JSON strings or form values; an empty body has none).</summary>
    public sealed record Fields(IReadOnlyDictionary<string, string> Values, ProblemHttpResult? Problem)
    {
        public string? this[string name] => Values.GetValueOrDefault(name);
    }

    /// <summary>
    /// A form (its fields, each with every value it was given) or a JSON body (at most <paramref name="maxDepth"/> deep),
    /// read with <paramref name="form"/> or <paramref name="json"/>; or what is wrong with it, given to
    /// <paramref name="refuse"/> with whether it was a form.
    /// </summary>
    public static async Task<T> ReadFormOrJsonAsync<T>(HttpRequest request, int maxDepth, Func<List<KeyValuePair<string, string[]>>, T> form,
        Func<JsonElement, T> json, Func<ProblemHttpResult, bool, T> refuse, CancellationToken cancellationToken)
    {
        var (body, isForm, problem) = await ReadBodyAsync(request, allowEmpty: false, cancellationToken);
        if (problem is not null)
        {
            return refuse(problem, isForm);
        }
        if (isForm)
        {
            return FormFields(body!) is { } fields ? form(fields) : refuse(Problems.NotUtf8(), true);
        }
        return ParseJson(body!, maxDepth, json, problem => refuse(problem, false));
    }

    /// <summary>A small JSON object body (empty means {}), kept beyond the parse, with only the <paramref name="allowed"/> fields.</summary>
    public static async Task<(JsonElement Body, ProblemHttpResult? Problem)> ReadJsonObjectAsync(HttpRequest request, string[] allowed, CancellationToken cancellationToken)
    {
        var (body, isForm, problem) = await ReadBodyAsync(request, allowEmpty: true, cancellationToken);
        if (problem is not null || isForm)
        {
            return (default, problem ?? Problems.UnsupportedMediaType());
        }
        if (body!.Length == 0)
        {
            return (JsonElement.Parse("{}"), null);
        }
        // A copy that outlives the document, which returns its pooled buffers.
        return ParseJson<(JsonElement, ProblemHttpResult?)>(body, maxDepth: 4,
            root => ObjectProblem(root, allowed) is { } problem ? (default, problem) : (root.Clone(), null),
            problem => (default, problem));
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
        var none = new Dictionary<string, string>();
        if (isForm)
        {
            // Each of these fields holds one value: one sent twice is refused, as in JSON.
            return FormFields(body) switch
            {
                null => new(none, Problems.NotUtf8()),
                var form when form.FirstOrDefault(f => f.Value.Length > 1) is { Key: { } repeated } => new(none, Problems.RepeatedField(repeated)),
                var form => new(form.ToDictionary(f => f.Key, f => f.Value[0], StringComparer.Ordinal), null),
            };
        }
        return ParseJson(body, maxDepth: 4, root => root.ValueKind == JsonValueKind.Object
            ? new Fields(root.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String)
                .ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal), null)
            : new Fields(none, TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The body must be a JSON object.")),
            problem => new Fields(none, problem));
    }

    /// <summary>An uploaded list: up to 4 MiB, 10,000 rows with room to spare.</summary>
    public const int MaxListBytes = 4 * 1024 * 1024;

    /// <summary>
    /// A list body: a JSON object, or CSV with the other fields beside it (<see cref="CsvFields"/>): in the query when
    /// the body is <c>text/csv</c>, in the other parts when it is a <c>multipart/form-data</c> upload.
    /// </summary>
    public sealed record ListBody(JsonElement? Json, string? Csv, IReadOnlyDictionary<string, string> CsvFields, ProblemHttpResult? Problem)
    {
        public static ListBody Refused(ProblemHttpResult problem) => new(null, null, new Dictionary<string, string>(), problem);
    }

    private const string ListMediaTypes = "application/json, text/csv, or multipart/form-data with a text/csv file";

    /// <summary>
    /// Reads an uploaded list: a JSON object (with only the <paramref name="allowed"/> fields), CSV text, or a form
    /// upload whose <paramref name="filePart"/> is the CSV and whose other parts are among the <paramref name="allowed"/>
    /// fields. Text is strict UTF-8; a byte-order mark is dropped.
    /// </summary>
    public static async Task<ListBody> ReadListAsync(HttpRequest request, string[] allowed, string filePart, CancellationToken cancellationToken)
    {
        var parsed = MediaTypeHeaderValue.TryParse(request.ContentType, out var value) ? value : null;
        var contentType = parsed?.MediaType.Value;
        var isCsv = string.Equals(contentType, "text/csv", StringComparison.OrdinalIgnoreCase);
        var isUpload = string.Equals(contentType, "multipart/form-data", StringComparison.OrdinalIgnoreCase);
        if (!isCsv && !isUpload && !IsJson(contentType))
        {
            return ListBody.Refused(Problems.UnsupportedMediaType(ListMediaTypes));
        }
        var body = await ReadBoundedAsync(request, cancellationToken, MaxListBytes);
        if (body is null)
        {
            return ListBody.Refused(Problems.TooLarge(MaxListBytes));
        }
        if (isCsv)
        {
            var fields = allowed.Where(f => f != filePart && request.Query.ContainsKey(f)).ToDictionary(f => f, f => request.Query[f].ToString(), StringComparer.Ordinal);
            return Text(body) is { } csv ? new(null, csv, fields, null) : ListBody.Refused(Problems.NotUtf8());
        }
        if (isUpload)
        {
            return await ReadUploadAsync(body, HeaderUtilities.RemoveQuotes(parsed!.Boundary).Value, allowed, filePart, cancellationToken);
        }
        return ParseJson(body, maxDepth: 4,
            root => ObjectProblem(root, allowed) is { } problem ? ListBody.Refused(problem) : new ListBody(root.Clone(), null, new Dictionary<string, string>(), null),
            ListBody.Refused);
    }

    /// <summary>A form upload's parts: each named once, each among <paramref name="allowed"/>, the <paramref name="filePart"/> required.</summary>
    private static async Task<ListBody> ReadUploadAsync(byte[] body, string? boundary, string[] allowed, string filePart, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(boundary) || boundary.Length > 200)
        {
            return ListBody.Refused(TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The form upload has no boundary."));
        }
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        string? csv = null;
        try
        {
            var reader = new Microsoft.AspNetCore.WebUtilities.MultipartReader(boundary, new MemoryStream(body));
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                var name = ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    ? HeaderUtilities.RemoveQuotes(disposition.Name).Value : null;
                if (name is null || !allowed.Contains(name) || fields.ContainsKey(name) || (name == filePart && csv is not null))
                {
                    return ListBody.Refused(TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Unexpected form part.",
                        detail: $"Each of {string.Join(", ", allowed)} at most once, and nothing else."));
                }
                using var content = new MemoryStream();
                await section.Body.CopyToAsync(content, cancellationToken);
                if (Text(content.ToArray()) is not { } text)
                {
                    return ListBody.Refused(Problems.NotUtf8());
                }
                if (name == filePart)
                {
                    csv = text;
                }
                else
                {
                    fields[name] = text;
                }
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            // The reader's words for a body that is not multipart as its header says (no closing boundary, a header too long).
            return ListBody.Refused(TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The form upload could not be read."));
        }
        return csv is null
            ? ListBody.Refused(TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The form upload has no list.", detail: $"Attach the CSV file as '{filePart}'."))
            : new(null, csv, fields, null);
    }

    /// <summary>Bytes as strict UTF-8 text, a byte-order mark dropped; null when they are not UTF-8.</summary>
    private static string? Text(byte[] bytes)
    {
        try
        {
            var bom = bytes.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0;
            return StrictUtf8.GetString(bytes, bom, bytes.Length - bom);
        }
        catch (System.Text.DecoderFallbackException)
        {
            return null;
        }
    }

    /// <summary>Why <paramref name="root"/> is not a JSON object with only <paramref name="allowed"/> fields, if it is not.</summary>
    private static ProblemHttpResult? ObjectProblem(JsonElement root, string[] allowed)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The body must be a JSON object.");
        }
        var unknown = root.EnumerateObject().Select(p => p.Name).Where(n => !allowed.Contains(n)).ToList();
        return unknown.Count > 0
            ? TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Unknown fields.", detail: $"Not accepted here: {string.Join(", ", unknown)}.")
            : null;
    }

    private static bool IsJson(string? contentType) => contentType is not null && (contentType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
        || contentType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Parses JSON and checks that every string in it is text (no invalid UTF-8, no lone surrogate escape such
    /// as "\ud800") and that no object names a field twice (which value was meant cannot be known, and readers
    /// differ on which they take), so that no reader further on can fail on it; any failure is a 400 problem.
    /// </summary>
    private static T ParseJson<T>(byte[] body, int maxDepth, Func<JsonElement, T> read, Func<ProblemHttpResult, T> refuse)
    {
        try
        {
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = maxDepth });
            return Unreadable(document.RootElement) is { } problem ? refuse(problem) : read(document.RootElement);
        }
        catch (JsonException e)
        {
            return refuse(Problems.MalformedJson(e));
        }
    }

    private static ProblemHttpResult? Unreadable(JsonElement element)
    {
        try
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.String:
                    _ = element.GetString();
                    return null;
                case JsonValueKind.Array:
                    return element.EnumerateArray().Select(Unreadable).FirstOrDefault(p => p is not null);
                case JsonValueKind.Object:
                    var names = new HashSet<string>(StringComparer.Ordinal);
                    foreach (var property in element.EnumerateObject())
                    {
                        // The name is decoded here, where a bad one is caught.
                        if (!names.Add(property.Name))
                        {
                            return Problems.RepeatedField(property.Name);
                        }
                        if (Unreadable(property.Value) is { } problem)
                        {
                            return problem;
                        }
                    }
                    return null;
                default:
                    return null;
            }
        }
        catch (InvalidOperationException)
        {
            return Problems.NotUtf8();
        }
    }

    private static async Task<(byte[]? Body, bool IsForm, ProblemHttpResult? Problem)> ReadBodyAsync(HttpRequest request, bool allowEmpty, CancellationToken cancellationToken)
    {
        var contentType = MediaTypeHeaderValue.TryParse(request.ContentType, out var parsed) ? parsed.MediaType.Value : null;
        var isJson = IsJson(contentType);
        var isForm = string.Equals(contentType, "application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);
        if (!isJson && !isForm)
        {
            var empty = request.ContentLength is null or 0 && request.Headers.TransferEncoding.Count == 0;
            return allowEmpty && empty ? ([], false, null) : (null, false, Problems.UnsupportedMediaType());
        }
        var body = await ReadBoundedAsync(request, cancellationToken);
        return body is null ? (null, isForm, Problems.TooLarge()) : (body, isForm, null);
    }

    private static readonly System.Text.UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// A form body's fields, or null when its bytes, or the bytes its %-escapes stand for, are not UTF-8 (or an
    /// escape is cut short). Decoded here byte by byte: the framework's decoders keep a bad escape as text.
    /// </summary>
    private static List<KeyValuePair<string, string[]>>? FormFields(byte[] body)
    {
        var fields = new List<KeyValuePair<string, List<string>>>();
        foreach (var range in body.AsSpan().Split((byte)'&'))
        {
            var pair = body.AsSpan(range);
            if (pair.IsEmpty)
            {
                continue;
            }
            var equals = pair.IndexOf((byte)'=');
            var name = FormDecode(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? "" : FormDecode(pair[(equals + 1)..]);
            if (name is null || value is null)
            {
                return null;
            }
            var index = fields.FindIndex(f => f.Key == name);
            if (index < 0)
            {
                fields.Add(KeyValuePair.Create(name, new List<string> { value }));
            }
            else
            {
                fields[index].Value.Add(value);
            }
        }
        return fields.Select(f => KeyValuePair.Create(f.Key, f.Value.ToArray())).ToList();
    }

    private static string? FormDecode(ReadOnlySpan<byte> encoded)
    {
        var bytes = new byte[encoded.Length];
        var length = 0;
        for (var i = 0; i < encoded.Length; i++)
        {
            var b = encoded[i];
            if (b == (byte)'+')
            {
                b = (byte)' ';
            }
            else if (b == (byte)'%')
            {
                if (i + 2 >= encoded.Length || !byte.TryParse(encoded.Slice(i + 1, 2), System.Globalization.NumberStyles.AllowHexSpecifier, null, out b))
                {
                    return null;
                }
                i += 2;
            }
            bytes[length++] = b;
        }
        try
        {
            return StrictUtf8.GetString(bytes, 0, length);
        }
        catch (System.Text.DecoderFallbackException)
        {
            return null;
        }
    }

    /// <summary>The body, or null when it is larger than <paramref name="maxBytes"/> (whatever Content-Length claims).</summary>
    private static async Task<byte[]?> ReadBoundedAsync(HttpRequest request, CancellationToken cancellationToken, int maxBytes = MaxBytes)
    {
        if (request.ContentLength > maxBytes)
        {
            return null;
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
