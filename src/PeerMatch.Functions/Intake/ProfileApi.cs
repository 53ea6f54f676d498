using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using PeerMatch.Functions.Http;
using PeerMatch.Functions.Links;
using PeerMatch.Intake;
using PeerMatch.Links;
using static System.Net.WebUtility;

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
    string? Bio)
{
    public static ProfileExport From(Practitioner p) => new(
        p.Id,
        p.Status == PractitionerStatus.Active ? "active" : "pending-confirmation",
        p.CreatedAt, p.UpdatedAt, p.ConfirmedAt, p.PausedUntil,
        p.Profile.Name, p.Profile.Email, p.Profile.Models, p.Profile.Region, p.Profile.YearsExperience,
        p.Profile.PracticeAreas, p.Profile.Languages, p.Profile.Meeting, p.Profile.Seeking,
        p.Profile.WillingToConvene, p.Profile.Bio);
}

/// <summary><c>GET /api/confirm</c> and <c>GET</c>/<c>PUT</c>/<c>DELETE /api/me</c>.</summary>
public sealed class ProfileApi(LinkSigner links, IPractitionerRepository repository, PractitionerService practitioners, TimeProvider clock)
{
    [Function("Confirm")]
    public async Task<ContentHttpResult> ConfirmAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.Confirm)] HttpRequest request, CancellationToken cancellationToken)
    {
        var id = await links.ReadAsync(request.Query["token"], TokenPurpose.Confirm, cancellationToken);
        var outcome = id is null ? ConfirmOutcome.NotFound : await practitioners.ConfirmAsync(id, cancellationToken);
        if (outcome == ConfirmOutcome.NotFound)
        {
            return Pages.Html("This link is not valid",
                $"<p>It may have expired (confirmation links work for 7 days), or the sign-up was removed.</p><p><a href=\"{Pages.IntakeFormPath}\">Sign up again</a>: it takes two minutes.</p>",
                StatusCodes.Status404NotFound);
        }

        var manage = await links.ManageUrlAsync(id!, cancellationToken);
        var title = outcome == ConfirmOutcome.Confirmed ? "Your profile is active" : "Your profile was already active";
        return Pages.Html(title, $"""
            <p>Thank you. From next Monday morning you will receive a short e-mail with a few suggested peers, and the reasons for each suggestion.</p>
            <p>Your contact details are shared only when you and a peer both say yes.</p>
            <p><a class="button" href="{HtmlEncode(manage.PathAndQuery)}">Review or change my profile</a></p>
            """);
    }

    [Function("Me")]
    public async Task<Results<Ok<ProfileExport>, ContentHttpResult, ProblemHttpResult>> ExportAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Routes.Me)] HttpRequest request, CancellationToken cancellationToken)
    {
        var practitioner = await FindAsync(request, cancellationToken);
        if (practitioner is null)
        {
            return Problems.InvalidLink();
        }
        if (request.Query["format"] != "json" && Pages.PrefersHtml(request))
        {
            return ManagePage(practitioner, request.Query["token"]!);
        }
        return TypedResults.Ok(ProfileExport.From(practitioner));
    }

    [Function("UpdateMe")]
    public async Task<Results<Ok<ProfileExport>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = Routes.Me)] HttpRequest request, CancellationToken cancellationToken)
    {
        var practitioner = await FindAsync(request, cancellationToken);
        if (practitioner is null)
        {
            return Problems.InvalidLink();
        }

        var read = await RequestBodies.ReadIntakeAsync(request, IntakeShape.ProfileUpdate, cancellationToken);
        if (read.Problem is { } problem)
        {
            return problem;
        }
        var profile = IntakeValidator.Validate(read.Intake!, read.Errors);
        var pausedUntil = IntakeValidator.PausedUntil(read.Intake!.PausedUntil, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), read.Errors);
        if (profile is not null && IntakeValidator.NormalizeEmail(profile.Email) != IntakeValidator.NormalizeEmail(practitioner.Profile.Email))
        {
            read.Errors.Add("email", "The address cannot be changed here. To use another address, erase this profile and sign up again with the new one.");
        }
        if (profile is null || !read.Errors.IsEmpty)
        {
            return Problems.Validation(read.Errors);
        }

        var updated = await practitioners.UpdateAsync(practitioner, profile with { Email = practitioner.Profile.Email }, pausedUntil, cancellationToken);
        return TypedResults.Ok(ProfileExport.From(updated));
    }

    [Function("EraseMe")]
    public async Task<Results<NoContent, ProblemHttpResult>> EraseAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = Routes.Me)] HttpRequest request, CancellationToken cancellationToken)
    {
        var practitioner = await FindAsync(request, cancellationToken);
        if (practitioner is null)
        {
            return Problems.InvalidLink();
        }
        await practitioners.EraseAsync(practitioner, cancellationToken);
        return TypedResults.NoContent();
    }

    private async Task<Practitioner?> FindAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var id = await links.ReadAsync(request.Query["token"], TokenPurpose.Manage, cancellationToken);
        return id is null ? null : await repository.GetAsync(id, cancellationToken);
    }

    private static ContentHttpResult ManagePage(Practitioner practitioner, string token)
    {
        var p = practitioner.Profile;
        var place = string.Join(", ", new[] { p.Region.City, p.Region.Subdivision, p.Region.Country }.Where(s => !string.IsNullOrEmpty(s)));
        var paused = practitioner.PausedUntil is { } until ? $"<p>Suggestions are paused until {until:yyyy-MM-dd}.</p>" : "";
        return Pages.Html("Your PeerMatch profile", $$"""
            <dl>
              <dt>Name</dt><dd>{{HtmlEncode(p.Name)}}</dd>
              <dt>E-mail</dt><dd>{{HtmlEncode(p.Email)}}</dd>
              <dt>Mediation models</dt><dd>{{HtmlEncode(string.Join(", ", p.Models))}}</dd>
              <dt>Region</dt><dd>{{HtmlEncode(place)}} ({{HtmlEncode(p.Region.TimeZone)}})</dd>
              <dt>Years of experience</dt><dd>{{p.YearsExperience}}</dd>
            </dl>
            {{paused}}
            <p><a class="button" href="{{HtmlEncode(Routes.WithToken(Routes.IntakeForm, token))}}">Change or pause my profile</a></p>
            <p><a href="{{HtmlEncode(Routes.WithToken(Routes.Me, token))}}&amp;format=json" download="peermatch-profile.json">Download all my data (JSON)</a></p>
            <form id="erase" method="post" action="#">
              <p><button type="submit" class="secondary">Erase my profile</button></p>
            </form>
            <p id="erase-status" role="status"></p>
            <script>
            document.getElementById('erase').addEventListener('submit', async (e) => {
              e.preventDefault();
              if (!confirm('Erase your profile and everything PeerMatch keeps about you? This cannot be undone.')) return;
              const res = await fetch('{{Routes.WithToken(Routes.Me, token)}}', { method: 'DELETE' });
              document.getElementById('erase-status').textContent = res.status === 204
                ? 'Your profile and everything that named you have been erased.'
                : 'The profile could not be erased; please try again.';
            });
            </script>
            """);
    }
}
