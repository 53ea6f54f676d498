using System.Globalization;
using System.Text;
using PeerMatch.Email;
using PeerMatch.Functions.Email;
using PeerMatch.Functions.Intake;
using PeerMatch.Functions.Links;
using PeerMatch.Groups;
using PeerMatch.Matching;
using PeerMatch.Matching.Groups;
using PeerMatch.Practitioners;

namespace PeerMatch.Functions.Groups;

/// <summary>
/// The e-mails of peer groups: the invitation (and, as its close, the call-off), the introduction (and news of who
/// joined or left, or took the convener role on), the six-week check-in, the request to convene, and (through
/// <see cref="GroupMeetingMail"/>) the standing meeting and its reminders. Each is written from the group as it stands when it is sent: an
/// invitation already answered, or news for someone no longer in the group, is not sent at all.
/// </summary>
public sealed class GroupEmailComposer(
    PeerGroups groups,
    IPractitionerRepository practitioners,
    GroupContent content,
    IntakeLinks intake,
    UnsubscribeLinks unsubscribes,
    GroupLinks links,
    EmailRenderer renderer,
    GroupMeetingMail meetings,
    TimeProvider clock) : IEmailComposer
{
    public IReadOnlyCollection<EmailKind> Kinds { get; } =
        [GroupEmails.Invitation, GroupEmails.Introduction, GroupEmails.CheckIn, GroupEmails.ConvenerRequest, GroupEmails.Reminder];

    public async Task<EmailMessage?> ComposeAsync(EmailJob job, Practitioner recipient, CancellationToken cancellationToken)
    {
        var (groupId, news, about) = GroupEmailJobs.Read(job.Context);
        if (await groups.GetAsync(groupId, cancellationToken) is not { } group || group.Seat(recipient.Id) is not { } seat)
        {
            return null;
        }
        var view = await GroupView.LoadAsync(group, practitioners, cancellationToken);
        var footer = new EmailFooter(recipient.Profile.Name,
            await intake.ManageUrlAsync(recipient.Id, cancellationToken),
            await unsubscribes.UrlAsync(recipient.Profile.Email, cancellationToken));
        var now = clock.GetUtcNow();
        return job.Kind switch
        {
            var kind when kind == GroupEmails.Invitation && news == GroupNews.CalledOff =>
                seat.IsYes ? await renderer.MessageAsync<GroupCalledOffEmail, GroupCalledOffModel>(job.Kind, recipient, GroupCalledOffEmail.Subject, new(footer)) : null,
            var kind when kind == GroupEmails.Invitation => await InvitationAsync(job, recipient, group, seat, view, footer, now, cancellationToken),
            var kind when kind == GroupEmails.Introduction && news == GroupNews.Meeting =>
                seat.IsMember ? await meetings.MeetingAsync(job, recipient, group, view, about, footer, cancellationToken) : null,
            var kind when kind == GroupEmails.Reminder =>
                seat.IsMember ? await meetings.ReminderAsync(job, recipient, group, view, about, footer, cancellationToken) : null,
            var kind when kind == GroupEmails.Introduction && news == GroupNews.WoundDown =>
                seat.IsMember ? await meetings.WoundDownAsync(job, recipient, group, view, footer, cancellationToken) : null,
            var kind when kind == GroupEmails.Introduction && news == GroupNews.Rules => await RulesAsync(job, recipient, group, seat, view, about, footer, cancellationToken),
            var kind when kind == GroupEmails.Introduction => await IntroductionAsync(job, recipient, group, seat, view, (news, about), footer, now, cancellationToken),
            var kind when kind == GroupEmails.CheckIn && news == GroupNews.Lapsed => await LapsedAsync(job, recipient, group, footer, now, cancellationToken),
            var kind when kind == GroupEmails.CheckIn => await CheckInAsync(job, recipient, group, seat, about, footer, cancellationToken),
            var kind when kind == GroupEmails.ConvenerRequest => await ConvenerRequestAsync(job, recipient, group, seat, view, footer, cancellationToken),
            _ => null,
        };
    }

    /// <summary>The invitation, unless answered meanwhile, the group closed, or the recipient paused since it was proposed.</summary>
    private async Task<EmailMessage?> InvitationAsync(EmailJob job, Practitioner recipient, GroupWithSeats group, GroupSeat seat, GroupView view,
        EmailFooter footer, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!seat.IsPending || !group.Group.IsOpen || recipient.PausedUntil > DateOnly.FromDateTime(now.UtcDateTime))
        {
            return null;
        }
        var youConvene = group.Group.ConvenerId == recipient.Id;
        var model = new GroupInvitationModel(footer, view, view.Invited.Where(p => p.Id != recipient.Id).ToList(), youConvene, view.ReasonsNow(now),
            content.GroundRules, content.Outline, await links.GroupUrlAsync(recipient.Id, group.Group.Id, cancellationToken));
        return await renderer.MessageAsync<GroupInvitationEmail, GroupInvitationModel>(job.Kind, recipient, GroupInvitationEmail.Subject(youConvene), model);
    }

    /// <summary>The introduction to a formed group (with the first meeting's times, each as an .ics), or news of who joined or left.</summary>
    private async Task<EmailMessage?> IntroductionAsync(EmailJob job, Practitioner recipient, GroupWithSeats group, GroupSeat seat, GroupView view,
        (string? News, string? About) what, EmailFooter footer, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!seat.IsMember || group.Group.State != GroupStates.Formed)
        {
            return null;
        }
        var aboutName = what.About is null ? null : (view.Person(what.About)?.FirstName ?? "A member");
        // Once the group has its standing meeting, a newcomer's introduction carries it instead of the first proposals.
        var standing = group.Group.Standing;
        var times = what.News is null && standing is null ? view.TimesFor(recipient.Profile.Region.TimeZone, now) : [];
        var model = new GroupIntroductionModel(footer, view, view.Members.ToList(), recipient.Id, what.News, aboutName,
            times.Select(t => t.Local).ToList(), content.RulesOf(group.Group), content.Outline,
            await links.GroupUrlAsync(recipient.Id, group.Group.Id, cancellationToken),
            standing is null ? null : $"{standing.Rhythm}; next on {standing.Describe(standing.NextIndex(now), recipient.Profile.Region.TimeZone)}");
        var message = await renderer.MessageAsync<GroupIntroductionEmail, GroupIntroductionModel>(
            job.Kind, recipient, GroupIntroductionEmail.Subject(what.News, aboutName), model);
        IReadOnlyList<EmailAttachment> attachments = what.News is null && standing is not null
            ? [meetings.Calendar(group.Group, view, recipient, model.GroupUrl)]
            : times.Select((t, i) => Calendar(group.Group, view, t.Start, i, now, model.GroupUrl)).ToList();
        return message with { Attachments = attachments };
    }

    /// <summary>"Has your group met (since the last check-in)?", to a member who has not answered this round.</summary>
    private async Task<EmailMessage?> CheckInAsync(EmailJob job, Practitioner recipient, GroupWithSeats group, GroupSeat seat, string? round,
        EmailFooter footer, CancellationToken cancellationToken)
    {
        var n = int.TryParse(round, CultureInfo.InvariantCulture, out var parsed) ? Math.Max(1, parsed) : 1;
        if (!seat.IsMember || group.Group.State != GroupStates.Formed || (seat.Met is not null && Math.Max(1, seat.MetRound) >= n))
        {
            return null;
        }
        var since = n == 1 ? null : StandingMeeting.DescribeTime((group.Group.FormedAt ?? group.Group.CreatedAt) + GroupLife.CheckInEvery * (n - 1),
            recipient.Profile.Region.TimeZone).Split(',')[0];
        var answerUrl = await links.GroupCheckInUrlAsync(recipient.Id, group.Group.Id, cancellationToken);
        return await renderer.MessageAsync<GroupCheckInEmail, GroupCheckInModel>(job.Kind, recipient, GroupCheckInEmail.Subject, new(footer, answerUrl, since));
    }

    /// <summary>The group's changed ground rules, unless changed again since (the later version is sent instead).</summary>
    private async Task<EmailMessage?> RulesAsync(EmailJob job, Practitioner recipient, GroupWithSeats group, GroupSeat seat, GroupView view, string? version,
        EmailFooter footer, CancellationToken cancellationToken)
    {
        if (!seat.IsMember || group.Group.State != GroupStates.Formed || group.Group.RulesVersion.ToString(CultureInfo.InvariantCulture) != version)
        {
            return null;
        }
        var model = new GroupRulesModel(footer, view.Convener?.FirstName ?? "Your convener", content.RulesOf(group.Group),
            await links.GroupUrlAsync(recipient.Id, group.Group.Id, cancellationToken));
        return await renderer.MessageAsync<GroupRulesEmail, GroupRulesModel>(job.Kind, recipient, GroupRulesEmail.Subject, model);
    }

    /// <summary>The convener's nudge, while the group is still lapsed.</summary>
    private async Task<EmailMessage?> LapsedAsync(EmailJob job, Practitioner recipient, GroupWithSeats group, EmailFooter footer, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        if (group.Group.ConvenerId != recipient.Id || GroupHealth.Of(group, now) != GroupHealth.Lapsed)
        {
            return null;
        }
        var since = StandingMeeting.DescribeTime(GroupHealth.LastSign(group.Group), recipient.Profile.Region.TimeZone).Split(',')[0];
        var model = new GroupLapsedModel(footer, since, await links.GroupUrlAsync(recipient.Id, group.Group.Id, cancellationToken));
        return await renderer.MessageAsync<GroupLapsedEmail, GroupLapsedModel>(job.Kind, recipient, GroupLapsedEmail.Subject, model);
    }

    /// <summary>"Will you convene?", unless the member has answered (or been passed over) since it was queued.</summary>
    private async Task<EmailMessage?> ConvenerRequestAsync(EmailJob job, Practitioner recipient, GroupWithSeats group, GroupSeat seat, GroupView view,
        EmailFooter footer, CancellationToken cancellationToken)
    {
        if (!seat.IsMember || group.Group.State != GroupStates.Formed || group.Group.ConvenerAsked != recipient.Id)
        {
            return null;
        }
        var others = view.Members.Count(m => m.Id != recipient.Id && m.Profile.WillingToConvene && !m.Seat.DeclinedConvening);
        var model = new GroupConvenerRequestModel(footer, view, others, await links.ConveneUrlAsync(recipient.Id, group.Group.Id, cancellationToken));
        return await renderer.MessageAsync<GroupConvenerRequestEmail, GroupConvenerRequestModel>(job.Kind, recipient, GroupConvenerRequestEmail.Subject, model);
    }

    /// <summary>One proposed time as an .ics file: its UID names the group and the proposal, so a calendar keeps one event per time.</summary>
    private static EmailAttachment Calendar(PeerGroup group, GroupView view, DateTimeOffset start, int index, DateTimeOffset now, Uri groupUrl)
    {
        var ics = MeetingCalendar.Ics(
            $"{group.Id}-first-meeting-{index + 1}@peermatch",
            $"Peer group, first meeting (proposal {index + 1})",
            $"A proposed first meeting of your PeerMatch peer group ({view.ModelLabel} mediation, {view.Meeting}). {view.Convener?.FirstName ?? "The convener"} confirms one of the proposed times with the group.",
            start, FirstMeetingTimes.Length, group.FormedAt ?? now, groupUrl);
        return new EmailAttachment($"first-meeting-{index + 1}.ics", MeetingCalendar.MediaType, Encoding.UTF8.GetBytes(ics));
    }
}
