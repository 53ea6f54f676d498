using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using PeerMatch.Email;
using PeerMatch.Matching;
using PeerMatch.Tests.Infrastructure;
using static PeerMatch.Tests.Matching.People;

namespace PeerMatch.Tests.Email;

/// <summary>The outbox's <c>.eml</c> files are what people open locally: every kind must open in every mail program.</summary>
public sealed class OutboxFormatTests : OrganizerFlowTest
{
    [Fact]
    public async Task Every_kind_of_message_is_standard_MIME_with_CRLF_7_bit_parts_and_short_lines()
    {
        // A peer group's worth of people, with names and words beyond ASCII and a bio of one long line.
        var bio = string.Concat(Enumerable.Repeat("Médiation familiale à Oakland — 調停 ", 20));
        await App.SeedAsync(
            Person("cv", convenes: true, years: 15, bio: bio), Person("a1", bio: bio), Person("a2"), Person("a3"));
        using (var signUp = await Intakes.PostAsync(Client, Intakes.Valid("new@example.org", "Zoë 𠮷田 🎉")))
        {
            Assert.Equal(HttpStatusCode.Accepted, signUp.StatusCode);
        }
        using (var newLink = await Client.PostAsJsonAsync("/api/me/link", new { email = "cv@example.org" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, newLink.StatusCode);
        }
        using (var invited = await Client.PostAsJsonAsync("/api/organizer/invitations", new
        {
            campaign = "Réseau d’automne",
            message = "Chères et chers collègues, " + new string('x', 1_500),
            recipients = new[] { new { email = "guest@example.org", name = "Ōkubo Hanako" } },
        }))
        {
            Assert.Equal(HttpStatusCode.Accepted, invited.StatusCode);
        }

        // The week's run: digests and a group forming; every suggestion answered yes (introductions), the group too.
        await Client.RunMatchAsync(force: true);
        foreach (var id in new[] { "cv", "a1", "a2", "a3" })
        {
            var digest = await App.Outbox.WaitForAsync($"{id}@example.org", "digest");
            foreach (var link in Links(digest, "/api/suggestions/"))
            {
                using var answered = await Client.PostAsync(link.Replace("?token", "/answer?token", StringComparison.Ordinal), new FormUrlEncodedContent([new("answer", "yes")]));
                Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
            }
            var group = Links(await App.Outbox.WaitForAsync($"{id}@example.org", "group-invitation"), "/api/groups/").First();
            using var joined = await Client.PostAsync(group.Replace("?token", "/answer?token", StringComparison.Ordinal), new FormUrlEncodedContent([new("answer", "yes")]));
            Assert.Equal(HttpStatusCode.OK, joined.StatusCode);
        }
        await App.Outbox.WaitForAsync("cv@example.org", "introduction");
        await App.Outbox.WaitForAsync("cv@example.org", "group-introduction");

        // Two weeks on, the follow-ups; six weeks after forming, the check-ins.
        App.Clock.Advance(TimeSpan.FromDays(15));
        await App.Services.GetRequiredService<SuggestionAnswers>().QueueDueFollowUpsAsync(default);
        await App.Outbox.WaitForAsync("cv@example.org", "follow-up");
        App.Clock.Advance(TimeSpan.FromDays(28));
        await Client.RunMatchAsync(force: true);
        await App.Outbox.WaitForAsync("cv@example.org", "group-check-in");
        await App.DrainAsync();

        // Outbox.All() has held each file to the standard (StandardMime.Load); here, that every kind was among them.
        var messages = App.Outbox.All();
        string[] specKinds = ["confirmation", "manage-link", "digest", "introduction", "follow-up", "invitation", "group-invitation", "group-introduction", "group-check-in"];
        Assert.Equal(specKinds.Order(), messages.Select(m => m.Headers[EmailKinds.HeaderName]!).Distinct().Order());
        var introduction = messages.First(m => m.Headers[EmailKinds.HeaderName] == "group-introduction");
        Assert.Contains(introduction.BodyParts.OfType<MimePart>(), p => p.ContentType.MimeType == "text/calendar" && p.ContentType.Charset == "utf-8");
        // Words beyond ASCII survive the 7-bit encoding, and a long line comes back whole.
        Assert.Contains("Zoë 𠮷田 🎉", messages.First(m => m.Headers[EmailKinds.HeaderName] == "confirmation").TextBody, StringComparison.Ordinal);
        Assert.Contains("x" + new string('x', 1_499), messages.First(m => m.Headers[EmailKinds.HeaderName] == "invitation").TextBody, StringComparison.Ordinal);
        // Nothing half-written is left in sight.
        Assert.All(Directory.EnumerateFiles(App.OutboxPath), f => Assert.EndsWith(".eml", f, StringComparison.Ordinal));
    }

    private static IEnumerable<string> Links(MimeMessage message, string path)
    {
        var text = message.TextBody!;
        var prefix = PeerMatchApp.PublicBaseUrl + path;
        for (var start = text.IndexOf(prefix, StringComparison.Ordinal); start >= 0; start = text.IndexOf(prefix, start + 1, StringComparison.Ordinal))
        {
            var end = text.IndexOfAny([' ', '\r', '\n', '\t'], start);
            yield return new Uri(end < 0 ? text[start..] : text[start..end]).PathAndQuery;
        }
    }
}
