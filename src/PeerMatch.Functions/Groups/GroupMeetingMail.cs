using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using PeerMatch.Email;
using PeerMatch.Functions.Email;
using PeerMatch.Functions.Settings;
using PeerMatch.Groups;
using PeerMatch.Matching.Groups;
using PeerMatch.Practitioners;

namespace PeerMatch.Functions.Groups;

/// <summary>
/// The e-mails of a group's standing meeting: the meeting itself (once set, and after each change) with its recurring
/// calendar invitation, and the reminder two days before each meeting. Written from the group as it stands when sent:
/// a calendar superseded by a later change, or a reminder for a meeting that has begun, is not sent.
/// </summary>
public sealed class GroupMeetingMail(GroupContent content, GroupLinks links, EmailRenderer renderer, IOptions<EmailOptions> email, TimeProvider clock)
{
    public async Task<EmailMessage?> MeetingAsync(EmailJob job, Practitioner recipient, GroupWithSeats group, GroupView view, string? sequence,
        EmailFooter footer, CancellationToken cancellationToken)
    {
        if (group.Group.Standing is not { } standing || standing.Sequence.ToString(CultureInfo.InvariantCulture) != sequence)
        {
            return null;
        }
        var next = standing.NextIndex(clock.GetUtcNow());
        var turns = Turns.Of(group, next);
        var groupUrl = await links.GroupUrlAsync(recipient.Id, group.Group.Id, cancellationToken);
        var model = new GroupMeetingModel(footer, view, standing.Sequence > 0, standing.Rhythm, standing.Describe(next, recipient.Profile.Region.TimeZone),
            NameFor(turns.Facilitator, view, recipient), NameFor(turns.CaseBringer, view, recipient), groupUrl);
        var message = await renderer.MessageAsync<GroupMeetingEmail, GroupMeetingModel>(job.Kind, recipient, GroupMeetingEmail.Subject(model.Changed), model);
        return message with { Attachments = [Calendar(group.Group, view, recipient, groupUrl)] };
    }

    public async Task<EmailMessage?> ReminderAsync(EmailJob job, Practitioner recipient, GroupWithSeats group, GroupView view, string? meeting,
        EmailFooter footer, CancellationToken cancellationToken)
    {
        if (group.Group.Standing is not { } standing || !int.TryParse(meeting, CultureInfo.InvariantCulture, out var n) || standing.Start(n) <= clock.GetUtcNow())
        {
            return null;
        }
        var turns = Turns.Of(group, n);
        var model = new GroupMeetingReminderModel(footer, standing.Describe(n, recipient.Profile.Region.TimeZone),
            NameFor(turns.Facilitator, view, recipient), NameFor(turns.CaseBringer, view, recipient), content.Outline,
            await links.GroupUrlAsync(recipient.Id, group.Group.Id, cancellationToken),
            GroupHealth.Of(group, clock.GetUtcNow()) == GroupHealth.LookingForMembers);
        return await renderer.MessageAsync<GroupMeetingReminderEmail, GroupMeetingReminderModel>(job.Kind, recipient, GroupMeetingReminderEmail.Subject, model);
    }

    /// <summary>The group wound down: to each of its members, with the standing meeting's cancellation when it had one.</summary>
    public async Task<EmailMessage?> WoundDownAsync(EmailJob job, Practitioner recipient, GroupWithSeats group, GroupView view, EmailFooter footer,
        CancellationToken cancellationToken)
    {
        if (group.Group.State != GroupStates.WoundDown)
        {
            return null;
        }
        var model = new GroupWoundDownModel(footer, recipient.Profile.Seeking.Contains(GroupFormation.SeeksPeerGroup), group.Group.Standing is not null);
        var message = await renderer.MessageAsync<GroupWoundDownEmail, GroupWoundDownModel>(job.Kind, recipient, GroupWoundDownEmail.Subject, model);
        return group.Group.Standing is null ? message
            : message with { Attachments = [Calendar(group.Group, view, recipient, await links.GroupUrlAsync(recipient.Id, group.Group.Id, cancellationToken), cancel: true)] };
    }

    /// <summary>
    /// The standing meeting as the recurring event of one calendar (its UID names the group, so every change, and a
    /// cancellation, lands on the one event); an invitation to this member, from the address PeerMatch writes from.
    /// </summary>
    public EmailAttachment Calendar(PeerGroup group, GroupView view, Practitioner recipient, Uri groupUrl, bool cancel = false)
    {
        var standing = group.Standing!;
        var ics = MeetingCalendar.Recurring(
            new MeetingCalendar.Recurrence($"{group.Id}-standing@peermatch", standing.Sequence, "Peer group meeting",
                $"Your PeerMatch peer group ({view.ModelLabel} mediation, {view.Meeting}), {standing.Rhythm}. Who facilitates and who brings a case: {groupUrl.AbsoluteUri}",
                standing.LocalStart, standing.TimeZone, standing.EveryWeeks, StandingMeeting.Length, groupUrl),
            (email.Value.FromAddress, email.Value.FromName), (recipient.Profile.Email, recipient.Profile.Name), clock.GetUtcNow(), cancel);
        return new EmailAttachment(cancel ? "meeting-cancelled.ics" : "meeting.ics", MeetingCalendar.MediaTypeFor(cancel), Encoding.UTF8.GetBytes(ics));
    }

    /// <summary>A member's first name, or "you" for the reader.</summary>
    private static string? NameFor(string? id, GroupView view, Practitioner reader) =>
        id is null ? null : id == reader.Id ? "you" : view.Person(id)?.FirstName;
}
