using Microsoft.AspNetCore.Http.HttpResults;
using PeerMatch.Functions.Http;
using PeerMatch.Functions.Links;
using PeerMatch.Links;
using PeerMatch.Validation;

namespace PeerMatch.Functions.Intake;

/// <summary>
/// A page that an e-mailed link opens for one person and one thing (a suggestion, a group): its route, the purpose its
/// token is signed for, the words shown when it leads nowhere, and how to find the thing for that person (null when
/// either is gone). Each feature declares its pages once, so a page and the answers posted from it cannot drift apart.
/// </summary>
public sealed record LinkedPage<TFound>(
    string Route,
    TokenPurpose Purpose,
    LinkKind Kind,
    Func<string, string, CancellationToken, Task<TFound?>> FindAsync) where TFound : class;

/// <summary>What a link opened: the thing it names, or what is wrong with the link.</summary>
public readonly record struct Opened<TFound>(TFound? Found, LinkProblem Problem) where TFound : class;

/// <summary>
/// The steps every link-opened page shares. Showing: the token is checked for the page's purpose and thing, then the
/// thing is found, or the person reads what became of it. Answering (a POST from the page's buttons, or a script's JSON
/// or <c>?answer=</c>): the same check, the fields read and validated, the answer recorded; a browser is sent back to
/// the page, which shows the outcome (or what became of the thing), and an API client gets what was recorded.
/// </summary>
public sealed class LinkedPages(LinkSigner links)
{
    // Fields a script may give in the query instead of the body; the query wins over the body.
    private static readonly string[] QueryFields = ["answer", "convene"];

    public async Task<Opened<TFound>> OpenAsync<TFound>(HttpRequest request, LinkedPage<TFound> page, string id, CancellationToken cancellationToken)
        where TFound : class
    {
        var (state, practitionerId) = await links.CheckScopedAsync(request.LinkToken(), page.Purpose, id, cancellationToken);
        if (state != TokenState.Valid)
        {
            return new(null, LinkProblems.From(state));
        }
        return await page.FindAsync(practitionerId, id, cancellationToken) is { } found ? new(found, default) : new(null, LinkProblem.Gone);
    }

    /// <summary>
    /// Records an answer posted from <paramref name="page"/>: <paramref name="read"/> takes it from the fields (adding
    /// what is wrong to the errors), <paramref name="recordAsync"/> stores it and says what was recorded (null when the
    /// thing went meanwhile).
    /// </summary>
    public Task<Results<Ok<TRecorded>, SeeOther, ValidationProblem, ProblemHttpResult, LinkProblemResult>> AnswerAsync<TFound, TAnswer, TRecorded>(
        HttpRequest request,
        LinkedPage<TFound> page,
        string id,
        Func<IReadOnlyDictionary<string, string>, ValidationErrors, TAnswer> read,
        Func<TFound, TAnswer, CancellationToken, Task<TRecorded?>> recordAsync,
        CancellationToken cancellationToken)
        where TFound : class
        where TRecorded : class =>
        AnswerAsync(request, page, id, (_, fields, errors) => read(fields, errors), recordAsync, cancellationToken);

    /// <summary>As above, where what may be answered depends on the thing itself (<paramref name="read"/> sees it: only a convener may change a meeting, say).</summary>
    public async Task<Results<Ok<TRecorded>, SeeOther, ValidationProblem, ProblemHttpResult, LinkProblemResult>> AnswerAsync<TFound, TAnswer, TRecorded>(
        HttpRequest request,
        LinkedPage<TFound> page,
        string id,
        Func<TFound, IReadOnlyDictionary<string, string>, ValidationErrors, TAnswer> read,
        Func<TFound, TAnswer, CancellationToken, Task<TRecorded?>> recordAsync,
        CancellationToken cancellationToken)
        where TFound : class
        where TRecorded : class
    {
        var browser = Pages.PrefersHtml(request);
        var pagePath = Routes.WithToken(page.Route, request.LinkToken(), id);
        var (found, problem) = await OpenAsync(request, page, id, cancellationToken);
        if (found is null)
        {
            return browser ? Pages.SeeOther(pagePath) : new LinkProblemResult(page.Kind, problem);
        }
        var (fields, unreadable) = await ReadFieldsAsync(request, cancellationToken);
        if (unreadable is not null)
        {
            return unreadable;
        }
        var errors = new ValidationErrors();
        var answer = read(found, fields, errors);
        if (!errors.IsEmpty)
        {
            return Problems.Validation(errors);
        }
        var recorded = await recordAsync(found, answer, cancellationToken);
        return browser ? Pages.SeeOther(pagePath)
            : recorded is null ? new LinkProblemResult(page.Kind, LinkProblem.Gone)
            : TypedResults.Ok(recorded);
    }

    /// <summary>An answer's address opened again (from history, or a link checker): the page it was posted from.</summary>
    public static SeeOther Reopened<TFound>(HttpRequest request, LinkedPage<TFound> page, string id) where TFound : class =>
        Pages.SeeOther(Routes.WithToken(page.Route, request.LinkToken(), id));

    /// <summary>The <c>answer</c> field, which must be yes or no.</summary>
    public static string YesOrNo(IReadOnlyDictionary<string, string> fields, ValidationErrors errors)
    {
        var answer = fields.GetValueOrDefault("answer");
        if (answer is not ("yes" or "no"))
        {
            errors.Add("answer", "Must be yes or no.");
        }
        return answer ?? "";
    }

    private static async Task<(IReadOnlyDictionary<string, string> Fields, ProblemHttpResult? Unreadable)> ReadFieldsAsync(
        HttpRequest request, CancellationToken cancellationToken)
    {
        var body = await RequestBodies.ReadFieldsAsync(request, cancellationToken);
        var fields = new Dictionary<string, string>(body.Values, StringComparer.Ordinal);
        foreach (var name in QueryFields)
        {
            if (request.Query.TryGetValue(name, out var value))
            {
                fields[name] = value.ToString();
            }
        }
        return (fields, body.Problem);
    }
}
