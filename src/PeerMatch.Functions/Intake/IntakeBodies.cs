using Microsoft.AspNetCore.Http.HttpResults;
using PeerMatch.Functions.Http;
using PeerMatch.Intake;
using PeerMatch.Validation;

namespace PeerMatch.Functions.Intake;

/// <summary>The intake body (a sign-up, or a profile's update), as JSON or as the form posts it.</summary>
public static class IntakeBodies
{
    public sealed record Read(RawIntake? Intake, ValidationErrors Errors, ProblemHttpResult? Problem, bool IsForm);

    public static Task<Read> ReadAsync(HttpRequest request, IntakeShape shape, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        return RequestBodies.ReadFormOrJsonAsync(request, maxDepth: 8,
            form => new Read(IntakeFormReader.Read(form, shape, errors), errors, null, true),
            json => new Read(IntakeJsonReader.Read(json, shape, errors), errors, null, false),
            (problem, isForm) => new Read(null, errors, problem, isForm),
            cancellationToken);
    }
}
