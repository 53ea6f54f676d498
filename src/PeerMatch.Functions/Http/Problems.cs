using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using PeerMatch.Validation;

namespace PeerMatch.Functions.Http;

/// <summary>The RFC 9457 problems the public routes answer with.</summary>
public static class Problems
{
    public static ValidationProblem Validation(ValidationErrors errors) =>
        TypedResults.ValidationProblem(errors.ToDictionary(), title: "Some fields need attention.",
            detail: "Nothing was saved. Correct the fields listed in 'errors' and send again.");

    /// <summary>An answer to a page's yes/no buttons that is neither.</summary>
    public static ValidationProblem NotYesOrNo(string field = "answer")
    {
        var errors = new ValidationErrors();
        errors.Add(field, "Must be yes or no.");
        return Validation(errors);
    }

    public static ProblemHttpResult UnsupportedMediaType(string accepted = "application/json or application/x-www-form-urlencoded") => TypedResults.Problem(
        statusCode: StatusCodes.Status415UnsupportedMediaType,
        title: "Unsupported content type.",
        detail: $"Send the body as {accepted}.");

    public static ProblemHttpResult NotUtf8() => TypedResults.Problem(
        statusCode: StatusCodes.Status400BadRequest,
        title: "The body holds text that is not valid UTF-8.",
        detail: "Nothing was saved. Send the text as UTF-8.");

    public static ProblemHttpResult TooLarge(int maxBytes = RequestBodies.MaxBytes) => TypedResults.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "The body is too large.",
        detail: maxBytes >= 1024 * 1024 ? $"A body may be at most {maxBytes / (1024 * 1024)} MiB." : $"A body may be at most {maxBytes / 1024} KiB.");

    public static ProblemHttpResult MalformedJson(JsonException e) => TypedResults.Problem(
        statusCode: StatusCodes.Status400BadRequest,
        title: "The body is not valid JSON.",
        detail: e.LineNumber is { } line ? $"The JSON could not be read near line {line + 1}, position {e.BytePositionInLine + 1}." : "The JSON could not be read.");

    public static ProblemHttpResult RepeatedField(string name) => TypedResults.Problem(
        statusCode: StatusCodes.Status400BadRequest,
        title: "A field is given twice.",
        detail: $"Nothing was saved. Send '{(name.Length > 40 ? name[..40] + "…" : name)}' once.");

    public static ProblemHttpResult Unavailable() => TypedResults.Problem(
        statusCode: StatusCodes.Status503ServiceUnavailable,
        title: "PeerMatch cannot answer right now.",
        detail: "Please try again in a minute: trying again is safe.");

    /// <summary>A request that outlived its deadline and is still under way: it may yet be done, and the answer says so.</summary>
    public static ProblemHttpResult StillWorking() => TypedResults.Problem(
        statusCode: StatusCodes.Status503ServiceUnavailable,
        title: "PeerMatch is answering slowly.",
        detail: "What you sent may still go through in the next minutes: if it does, you will get its e-mail or see it on your page. Sending it again is safe: nothing is done twice.");

    public static ProblemHttpResult Unexpected() => TypedResults.Problem(
        statusCode: StatusCodes.Status500InternalServerError,
        title: "Something went wrong on our side.",
        detail: "Nothing you did caused this. Please try again in a few minutes.");
}
