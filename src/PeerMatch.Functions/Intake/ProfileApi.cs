using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using PeerMatch.Functions.Http;
using PeerMatch.Functions.Links;
using PeerMatch.Intake;
using PeerMatch.Links;
using PeerMatch.Practitioners;

namespace PeerMatch.Functions.Intake;

/// <summary>The practitioner's own profile, reached through links in e-mails.</summary>
public sealed record ProfileExport(
    string Id,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? ConfirmedAt,
    DateOnly? PausedUntil,
    string Name,
    string Email,
    IReadOnlyList<string> Models,
    Region Region,
    int YearsExperience,
    IReadOnlyList<string> PracticeAreas,
    IReadOnlyList<string> Languages,
    string Meeting,
    IReadOnlyList<string> Seeking,
    bool WillingToConvene,
    string? Bio,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Unsubscribed = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<Profile>? LaterSignUps = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, IReadOnlyList<IReadOnlyDictionary<string, string?>>>? Stored = null)
{
    /// <summary>All my data: the profile, and everything else stored about the person (what an update answers is the profile alone).</summary>
    public static ProfileExport From(PersonalData data, DateOnly today) => From(data.Practitioner, today) with
    {
        Unsubscribed = data.Unsubscribed,
        LaterSignUps = data.LaterSignUps,
        Stored = data.Records.ToDictionary(r => r.Kind, r => r.Records, StringComparer.Ordinal),
    };

    /// <summary>The export; a pause that has ended by <paramref name="today"/> is none (so sending it back as it came is no error).</summary>
    public static ProfileExport From(Practitioner p, DateOnly today) => new(
        p.Id,
        p.Status == PractitionerStatus.Active ? "active" : "pending-confirmation",
        p.CreatedAt, p.UpdatedAt, p.ConfirmedAt, p.PausedUntil > today ? p.PausedUntil : null,
        p.Profile.Name, p.Profile.Email, p.Profile.Models, p.Profile.Region, p.Profile.YearsExperience,
        p.Profile.PracticeAreas, p.Profile.Languages, p.Profile.Meeting, p.Profile.Seeking,
        p.Profile.WillingToConvene, p.Profile.Bio);
}

public sealed record ConfirmationStatus(string Status);

/// <summary>
/// The links that open a practitioner's own profile: <c>/api/confirm</c> (a button, then the profile is
/// active), <c>/api/me</c> (the profile as a form, its JSON export, update and erase) and the erase
/// steps. A browser gets pages, with post/redirect/get after each form; an API client gets JSON.
/// </summary>
public sealed class ProfileApi(LinkSigner links, IntakeLinks intake, UnsubscribeLinks unsubscribes, IPractitionerRepository repository, ISuppressionList suppressions, PractitionerService practitioners, IEnumerable<IProfileSection> sections, TimeProvider clock)
{
    [Function("Confirm")]
    public async Task<Results<RazorComponentResult<ConfirmPage>, Ok<ConfirmationStatus>, LinkProblemResult>> ShowConfirmationAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = IntakeRoutes.Confirm)] HttpRequest request, CancellationToken cancellationToken)
    {
        var (practitioner, submissionId, problem) = await OpenConfirmationAsync(request, cancellationToken);
        if (practitioner is null)
        {
            return new LinkProblemResult(IntakeLinks.Confirmation, problem);
        }
        // Unsubscribed since: confirming again is how e-mail starts again. A later sign-up's link activates its details.
        var active = practitioner.Status == PractitionerStatus.Active && submissionId is null
            && !await suppressions.IsSuppressedAsync(practitioner.Profile.Email, cancellationToken);
        if (!Pages.PrefersHtml(request))
        {
            return TypedResults.Ok(new ConfirmationStatus(active ? "active" : "pending-confirmation"));
        }
        return Pages.Render<ConfirmPage>(new
        {
            Active = active,
            ConfirmPath = Routes.WithToken(IntakeRoutes.Confirm, request.LinkToken()),
            ProfilePath = active ? (await intake.ManageUrlAsync(practitioner.Id, cancellationToken)).PathAndQuery : "",
        });
    }

    [Function("ConfirmAddress")]
    public async Task<Results<SeeOther, Ok<ConfirmationStatus>, LinkProblemResult>> ConfirmAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = IntakeRoutes.Confirm)] HttpRequest request, CancellationToken cancellationToken)
    {
        var (practitioner, submissionId, problem) = await OpenConfirmationAsync(request, cancellationToken);
        if (practitioner is null)
        {
            return new LinkProblemResult(IntakeLinks.Confirmation, problem);
        }
        if (await practitioners.ConfirmAsync(practitioner.Id, submissionId, cancellationToken) == ConfirmOutcome.NotFound)
        {
            return new LinkProblemResult(IntakeLinks.Confirmation, LinkProblem.Gone);
        }
        // The page to come back to: this link shows "confirmed" only for the first sign-up's details, so it is the profile's.
        return Pages.PrefersHtml(request)
            ? Pages.SeeOther(submissionId is null ? Routes.WithToken(IntakeRoutes.Confirm, request.LinkToken()) : (await intake.ManageUrlAsync(practitioner.Id, cancellationToken)).PathAndQuery)
            : TypedResults.Ok(new ConfirmationStatus("active"));
    }

    [Function("Me")]
    public async Task<Results<Ok<ProfileExport>, RazorComponentResult<ProfilePage>, LinkProblemResult>> ShowAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = IntakeRoutes.Me)] HttpRequest request, CancellationToken cancellationToken)
    {
        var (practitioner, problem) = await OpenAsync(request, IntakeTokens.Manage, cancellationToken);
        if (practitioner is null)
        {
            return new LinkProblemResult(IntakeLinks.Profile, problem);
        }
        if (request.Query["format"] == "json" || !Pages.PrefersHtml(request))
        {
            return TypedResults.Ok(ProfileExport.From(await practitioners.ExportAsync(practitioner, cancellationToken), Today));
        }
        return await ProfilePageAsync(request, practitioner, ProfileFormValues.From(practitioner, Today), errors: null, saved: request.Query["saved"] == "1", cancellationToken);
    }

    /// <summary>The profile page's form (no script needed): saved, then shown again.</summary>
    [Function("SaveProfile")]
    public Task<IResult> SaveFromFormAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = IntakeRoutes.Me)] HttpRequest request, CancellationToken cancellationToken) =>
        SaveAsync(request, cancellationToken);

    [Function("UpdateMe")]
    public Task<IResult> UpdateAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = IntakeRoutes.Me)] HttpRequest request, CancellationToken cancellationToken) =>
        SaveAsync(request, cancellationToken);

    [Function("EraseMe")]
    public async Task<Results<NoContent, LinkProblemResult>> EraseAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = IntakeRoutes.Me)] HttpRequest request, CancellationToken cancellationToken)
    {
        var (practitioner, problem) = await OpenAsync(request, IntakeTokens.Manage, cancellationToken);
        if (practitioner is null)
        {
            return new LinkProblemResult(IntakeLinks.Profile, problem);
        }
        await practitioners.EraseAsync(practitioner, cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>The step before an erase: one click never erases anything.</summary>
    [Function("EraseForm")]
    public async Task<Results<RazorComponentResult<ErasePage>, LinkProblemResult>> ShowEraseAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = IntakeRoutes.Erase)] HttpRequest request, CancellationToken cancellationToken)
    {
        var (practitioner, problem) = await OpenAsync(request, IntakeTokens.Manage, cancellationToken);
        if (practitioner is null)
        {
            return new LinkProblemResult(IntakeLinks.Profile, problem);
        }
        return Pages.Render<ErasePage>(new { Token = request.LinkToken() });
    }

    [Function("EraseProfile")]
    public async Task<Results<SeeOther, NoContent, LinkProblemResult>> EraseFromFormAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = IntakeRoutes.Erase)] HttpRequest request, CancellationToken cancellationToken)
    {
        var (practitioner, problem) = await OpenAsync(request, IntakeTokens.Manage, cancellationToken);
        if (practitioner is null)
        {
            return new LinkProblemResult(IntakeLinks.Profile, problem);
        }
        await practitioners.EraseAsync(practitioner, cancellationToken);
        return Pages.PrefersHtml(request) ? Pages.SeeOther(Routes.Path(IntakeRoutes.Erased)) : TypedResults.NoContent();
    }

    [Function("Erased")]
    public static RazorComponentResult<ErasedPage> Erased([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = IntakeRoutes.Erased)] HttpRequest request) =>
        Pages.Render<ErasedPage>();

    /// <summary>
    /// Saves the profile from the page's form or a JSON <c>PUT</c>: the intake body plus <c>pausedUntil</c>.
    /// A browser sees the page again (saved, or with what needs attention); an API client gets the export.
    /// </summary>
    private async Task<IResult> SaveAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (practitioner, problem) = await OpenAsync(request, IntakeTokens.Manage, cancellationToken);
        if (practitioner is null)
        {
            return new LinkProblemResult(IntakeLinks.Profile, problem);
        }
        var read = await IntakeBodies.ReadAsync(request, IntakeShape.ProfileUpdate, cancellationToken);
        var browser = read.IsForm && Pages.PrefersHtml(request);
        if (read.Problem is { } unreadable)
        {
            return browser
                ? await ProfilePageAsync(request, practitioner, ProfileFormValues.From(practitioner, Today), IntakeApi.FormProblem(unreadable), saved: false, cancellationToken, unreadable.StatusCode)
                : unreadable;
        }
        var profile = IntakeValidator.Validate(read.Intake!, read.Errors);
        var pausedUntil = IntakeValidator.PausedUntil(read.Intake!.PausedUntil, Today, read.Errors);
        if (profile is not null && EmailAddresses.Normalize(profile.Email) != EmailAddresses.Normalize(practitioner.Profile.Email))
        {
            read.Errors.Add("email", "The address cannot be changed here. To use another address, erase this profile and sign up again with the new one.");
        }
        if (profile is null || !read.Errors.IsEmpty)
        {
            return browser
                ? await ProfilePageAsync(request, practitioner, ProfileFormValues.From(read.Intake) with { Email = practitioner.Profile.Email }, read.Errors.ToDictionary(), saved: false, cancellationToken, StatusCodes.Status400BadRequest)
                : Problems.Validation(read.Errors);
        }

        var updated = await practitioners.UpdateAsync(practitioner, profile with { Email = practitioner.Profile.Email }, pausedUntil, cancellationToken);
        return browser
            ? Pages.SeeOther(Routes.WithToken(IntakeRoutes.Me, request.LinkToken()) + "&saved=1")
            : TypedResults.Ok(ProfileExport.From(updated, Today));
    }

    private async Task<RazorComponentResult<ProfilePage>> ProfilePageAsync(HttpRequest request, Practitioner practitioner, ProfileFormValues values,
        IDictionary<string, string[]>? errors, bool saved, CancellationToken cancellationToken, int status = StatusCodes.Status200OK) =>
        Pages.Render<ProfilePage>(new
        {
            Token = request.LinkToken(),
            Values = values,
            Errors = errors,
            PausedUntil = practitioner.PausedUntil > Today ? practitioner.PausedUntil : null,
            Saved = saved,
            Sections = await SectionsAsync(request, practitioner, cancellationToken),
            UnsubscribePath = (await unsubscribes.UrlAsync(practitioner.Profile.Email, cancellationToken)).PathAndQuery,
        }, status);

    private async Task<IReadOnlyList<ProfileSectionView>> SectionsAsync(HttpRequest request, Practitioner practitioner, CancellationToken cancellationToken)
    {
        var views = new List<ProfileSectionView>();
        foreach (var section in sections.OrderBy(s => s.Order))
        {
            if (await section.ViewAsync(practitioner, request.LinkToken(), request, cancellationToken) is { } view)
            {
                views.Add(view);
            }
        }
        return views;
    }

    /// <summary>The practitioner a confirmation link opens, and the later sign-up it confirms if any; or what is wrong with the link.</summary>
    private async Task<(Practitioner? Practitioner, string? SubmissionId, LinkProblem Problem)> OpenConfirmationAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (state, subject) = await links.CheckAsync(request.LinkToken(), IntakeTokens.Confirm, cancellationToken);
        if (state != TokenState.Valid)
        {
            return (null, null, LinkProblems.From(state));
        }
        var (id, submissionId) = IntakeLinks.ConfirmationSubject(subject);
        var practitioner = await repository.GetAsync(id, cancellationToken);
        var stillThere = practitioner is not null && (submissionId is null || await repository.GetSubmissionAsync(id, submissionId, cancellationToken) is not null);
        return stillThere ? (practitioner, submissionId, default) : (null, null, LinkProblem.Gone);
    }

    private Task<(Practitioner? Practitioner, LinkProblem Problem)> OpenAsync(HttpRequest request, TokenPurpose purpose, CancellationToken cancellationToken) =>
        links.OpenAsync(request.LinkToken(), purpose, repository, cancellationToken);

    private DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
}
