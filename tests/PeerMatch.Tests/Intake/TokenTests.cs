using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using PeerMatch.Functions.Groups;
using PeerMatch.Functions.Intake;
using PeerMatch.Functions.Matching;
using PeerMatch.Intake;
using PeerMatch.Links;
using PeerMatch.Tests.Infrastructure;

namespace PeerMatch.Tests.Intake;

public sealed class LinkTokenTests
{
    /// <summary>Every purpose a feature declares: a token for one works for no other.</summary>
    private static readonly TokenPurpose[] AllPurposes =
    [
        IntakeTokens.Confirm, IntakeTokens.Manage, UnsubscribeLinks.Purpose, MatchingLinks.Suggestion, MatchingLinks.FollowUp,
        GroupLinks.Group, GroupLinks.CheckIn,
    ];

    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_fresh_token_reads_back_its_subject()
    {
        var token = LinkToken.Create(Key, IntakeTokens.Manage, "abc123", Now.AddDays(1));

        Assert.Equal(TokenState.Valid, LinkToken.Check(Key, token, IntakeTokens.Manage, Now, out var subject));
        Assert.Equal("abc123", subject);
    }

    [Fact]
    public void A_token_for_one_purpose_never_serves_another()
    {
        var token = LinkToken.Create(Key, IntakeTokens.Confirm, "abc123", Now.AddDays(1));

        foreach (var other in AllPurposes.Where(p => p != IntakeTokens.Confirm))
        {
            Assert.NotEqual(TokenState.Valid, LinkToken.Check(Key, token, other, Now, out _));
        }
    }

    [Fact]
    public void An_expired_token_is_refused()
    {
        var token = LinkToken.Create(Key, IntakeTokens.Manage, "abc123", Now.AddDays(1));

        Assert.Equal(TokenState.Valid, LinkToken.Check(Key, token, IntakeTokens.Manage, Now.AddDays(1).AddSeconds(-1), out _));
        Assert.Equal(TokenState.Expired, LinkToken.Check(Key, token, IntakeTokens.Manage, Now.AddDays(1), out _));
    }

    [Fact]
    public void A_token_with_a_changed_subject_is_refused()
    {
        var token = LinkToken.Create(Key, IntakeTokens.Manage, "abc123", Now.AddDays(1));
        var signature = token[(token.IndexOf('.', StringComparison.Ordinal) + 1)..];
        var forgedPayload = Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"Manage|someone-else|{Now.AddDays(1).ToUnixTimeSeconds()}"));

        Assert.NotEqual(TokenState.Valid, LinkToken.Check(Key, forgedPayload + "." + signature, IntakeTokens.Manage, Now, out _));
    }

    [Fact]
    public void A_token_signed_with_another_key_is_refused()
    {
        var token = LinkToken.Create(RandomNumberGenerator.GetBytes(32), IntakeTokens.Manage, "abc123", Now.AddDays(1));

        Assert.NotEqual(TokenState.Valid, LinkToken.Check(Key, token, IntakeTokens.Manage, Now, out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("no-dot-at-all")]
    [InlineData(".")]
    [InlineData("!!!.???")]
    [InlineData("TWFuYWdlfGFiY3wx.")]
    public void Garbage_is_refused(string token) =>
        Assert.NotEqual(TokenState.Valid, LinkToken.Check(Key, token, IntakeTokens.Manage, Now, out _));

    [Fact]
    public void Every_character_of_a_token_matters()
    {
        var token = LinkToken.Create(Key, IntakeTokens.Manage, "abc123", Now.AddDays(1));
        for (var i = 0; i < token.Length; i++)
        {
            if (token[i] == '.')
            {
                continue;
            }
            var tampered = token[..i] + (token[i] == 'A' ? 'B' : 'A') + token[(i + 1)..];
            Assert.NotEqual(TokenState.Valid, LinkToken.Check(Key, tampered, IntakeTokens.Manage, Now, out _));
        }
    }
}

/// <summary>The same rules, seen from the routes that take tokens.</summary>
public sealed class TokenRouteTests : AppTest
{
    [Fact]
    public async Task A_confirmation_token_does_not_open_the_profile_and_a_manage_token_does_not_confirm()
    {
        await Intakes.PostAsync(Client, Intakes.Valid());
        var confirmation = await App.Outbox.WaitForAsync("ada@example.org", "confirmation");
        var confirmToken = Token(Outbox.Link(confirmation, PeerMatchApp.PublicBaseUrl + "/api/confirm?token="));

        using var asManage = await Client.GetAsync($"/api/me?token={confirmToken}");
        Assert.Equal(HttpStatusCode.NotFound, asManage.StatusCode);
        using var asErase = await Client.DeleteAsync($"/api/me?token={confirmToken}");
        Assert.Equal(HttpStatusCode.NotFound, asErase.StatusCode);
        using var asUnsubscribe = await Client.PostAsync($"/api/unsubscribe?token={confirmToken}", null);
        Assert.Equal(HttpStatusCode.NotFound, asUnsubscribe.StatusCode);
        Assert.Single(await App.RowsAsync("Practitioners"));
        Assert.Empty(await App.RowsAsync("Suppressions"));

        var manage = await Intakes.SignUpAndConfirmAsync(App, Client, "bea@example.org", "Bea");
        using var asConfirm = await Client.GetAsync("/api/confirm?" + manage.Split('?')[1]);
        Assert.Equal(HttpStatusCode.NotFound, asConfirm.StatusCode);
    }

    [Fact]
    public async Task A_tampered_token_is_refused()
    {
        var manage = await Intakes.SignUpAndConfirmAsync(App, Client);
        var tampered = manage[..^3] + (manage[^3] == 'A' ? "B" : "A") + manage[^2..];

        using var response = await Client.GetAsync(tampered);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task An_expired_confirmation_link_does_not_activate()
    {
        await Intakes.PostAsync(Client, Intakes.Valid());
        var confirmation = await App.Outbox.WaitForAsync("ada@example.org", "confirmation");

        App.Clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        using var response = await Client.GetAsync(Outbox.Relative(Outbox.Link(confirmation, PeerMatchApp.PublicBaseUrl + "/api/confirm?token=")));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("PendingConfirmation", Assert.Single(await App.RowsAsync("Practitioners")).GetString("Status"));
    }

    [Fact]
    public async Task An_expired_manage_link_is_refused()
    {
        var manage = await Intakes.SignUpAndConfirmAsync(App, Client);

        App.Clock.Advance(TimeSpan.FromDays(31));
        using var response = await Client.GetAsync(manage);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Missing_token_is_refused()
    {
        using var me = await Client.GetAsync("/api/me");
        using var confirm = await Client.GetAsync("/api/confirm");

        Assert.Equal(HttpStatusCode.NotFound, me.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, confirm.StatusCode);
    }

    private static string Token(Uri link) => Uri.EscapeDataString(System.Web.HttpUtility.ParseQueryString(link.Query)["token"]!);
}
