using System.Net;
using Appliance.Auth;
using Appliance.Streaming.Streams;
using Appliance.Tests.Support;

namespace Appliance.Auth.Tests;

/// <summary>
/// The credentials the node's transcoders publish their rungs with: good once, for one stream,
/// for a minute, from this host only; anything else is refused with a reason that never echoes it.
/// </summary>
public class InternalPublishTokenTests
{
    private static readonly StreamKey Rung = new("default", "live", "cam_480p");
    private static readonly IPAddress Remote = IPAddress.Parse("203.0.113.7");

    private static string Query(string token) => $"{InternalPublishTokens.ParameterName}={token}";

    [Fact]
    public void The_issued_credential_is_accepted_once_from_loopback()
    {
        var tokens = new InternalPublishTokens(new ManualClock(1_000_000));
        var token = tokens.Issue(Rung);

        var first = tokens.Check(Rung, Query(token), IPAddress.Loopback);
        var second = tokens.Check(Rung, Query(token), IPAddress.Loopback);

        Assert.True(first.Accepted);
        Assert.True(second.Carried);
        Assert.Equal("the internal credential is not the one issued for default/live/cam_480p", second.Refusal);
    }

    [Fact]
    public void A_query_without_the_parameter_is_not_internal()
    {
        var tokens = new InternalPublishTokens(new ManualClock(1_000_000));
        tokens.Issue(Rung);

        var check = tokens.Check(Rung, "token=abc", IPAddress.Loopback);

        Assert.False(check.Carried);
        Assert.False(check.Accepted);
    }

    [Fact]
    public void A_peer_elsewhere_is_refused_even_with_the_right_credential_and_the_credential_stays_good()
    {
        var tokens = new InternalPublishTokens(new ManualClock(1_000_000));
        var token = tokens.Issue(Rung);

        var remote = tokens.Check(Rung, Query(token), Remote);
        var local = tokens.Check(Rung, Query(token), IPAddress.Parse("::ffff:127.0.0.1"));

        Assert.Equal("an internal credential is accepted only from this host", remote.Refusal);
        Assert.True(local.Accepted);
    }

    [Fact]
    public void The_listeners_own_address_counts_as_this_host_but_a_wildcard_does_not()
    {
        var tokens = new InternalPublishTokens(new ManualClock(1_000_000));
        var own = IPAddress.Parse("10.1.2.3");

        Assert.True(tokens.Check(Rung, Query(tokens.Issue(Rung)), own, ownAddress: own).Accepted);
        Assert.False(tokens.Check(Rung, Query(tokens.Issue(Rung)), Remote, ownAddress: IPAddress.Any).Accepted);
    }

    [Fact]
    public void A_credential_for_another_stream_is_refused()
    {
        var tokens = new InternalPublishTokens(new ManualClock(1_000_000));
        var token = tokens.Issue(Rung);

        var check = tokens.Check(Rung with { Name = "cam_360p" }, Query(token), IPAddress.Loopback);

        Assert.Equal("the internal credential is not the one issued for default/live/cam_360p", check.Refusal);
        Assert.DoesNotContain(token, check.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void A_credential_unused_for_over_a_minute_has_expired()
    {
        var clock = new ManualClock(1_000_000);
        var tokens = new InternalPublishTokens(clock);
        var token = tokens.Issue(Rung);
        clock.UnixSeconds += 61;

        var check = tokens.Check(Rung, Query(token), IPAddress.Loopback);

        Assert.Equal("the internal credential for default/live/cam_480p expired unused", check.Refusal);
    }

    [Fact]
    public void A_revoked_or_replaced_credential_is_refused()
    {
        var tokens = new InternalPublishTokens(new ManualClock(1_000_000));
        var revoked = tokens.Issue(Rung);
        tokens.Revoke(Rung);
        var replaced = tokens.Issue(Rung);
        var current = tokens.Issue(Rung);

        Assert.False(tokens.Check(Rung, Query(revoked), IPAddress.Loopback).Accepted);
        Assert.False(tokens.Check(Rung, Query(replaced), IPAddress.Loopback).Accepted);
        Assert.True(tokens.Check(Rung, Query(current), IPAddress.Loopback).Accepted);
    }

    [Theory]
    [InlineData("")]
    [InlineData("zz")]
    [InlineData("not-hex-at-all-but-sixty-four-characters-long-xxxxxxxxxxxxxxxxxxxx")]
    [InlineData("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff00")]
    public void A_malformed_credential_is_refused(string token)
    {
        var tokens = new InternalPublishTokens(new ManualClock(1_000_000));
        tokens.Issue(Rung);

        var check = tokens.Check(Rung, Query(token), IPAddress.Loopback);

        Assert.True(check.Carried);
        Assert.NotNull(check.Refusal);
    }

    [Fact]
    public void A_peer_without_an_address_is_refused()
    {
        var tokens = new InternalPublishTokens(new ManualClock(1_000_000));

        Assert.Equal("an internal credential is accepted only from this host", tokens.Check(Rung, Query(tokens.Issue(Rung)), null).Refusal);
    }
}
