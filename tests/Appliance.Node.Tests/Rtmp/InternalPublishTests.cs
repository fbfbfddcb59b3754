using System.Net;
using Appliance.Auth;
using Appliance.Auth.Config;
using Appliance.Node.Tests.Support;
using Appliance.Protocols.Rtmp;
using Appliance.Streaming.Streams;
using Appliance.Tests.Support;

namespace Appliance.Node.Tests.Rtmp;

/// <summary>
/// The node's transcoder publishes a rung with a one-time credential instead of the app's publish
/// token: accepted from this host once, never counted as the app's publisher, never logged; every
/// other use refused with NetStream.Publish.BadName and a line saying why.
/// </summary>
public class InternalPublishTests
{
    private static readonly StreamKey Rung = new("default", "live", "cam_480p");

    /// <summary>An app whose publishers need a signed token the transcoder could not make.</summary>
    private static TestServer SecuredServer(int maxPublishers = 0) => new(config =>
    {
        config.Domains[0].Apps[0].Auth.Publish = new AuthRule { Scheme = AuthSchemes.Hmac, Key = "a1b2c3d4e5f60718293a4b5c6d7e8f90" };
        config.Domains[0].Apps[0].MaxPublishers = maxPublishers;
    });

    private static async Task<(RtmpClient Client, Task Run)> ConnectAsync(TestServer server, CancellationToken ct, IPEndPoint? from = null)
    {
        var (connection, run) = server.StartRtmp(from);
        return (await RtmpClients.ConnectAsync(connection, "live", ct), run);
    }

    private static string Credential(string token) => $"{InternalPublishTokens.ParameterName}={token}";

    [Fact]
    public async Task The_issued_credential_publishes_the_rung_past_the_apps_auth_without_logging_it()
    {
        using var server = SecuredServer();
        var token = server.Context.InternalPublishers.Issue(Rung);
        var ct = Eventually.Deadline();
        var (client, _) = await ConnectAsync(server, ct);

        await client.PublishAsync($"cam_480p?{Credential(token)}", ct);

        Assert.Equal("NetStream.Publish.Start", client.LastStatusCode);
        var stream = Assert.Single(server.Streams.Streams);
        Assert.Equal(Rung, stream.Key);
        Assert.True(stream.Source!.IsTranscoded);
        Assert.True(stream.Source.RelaysTimeline);
        Assert.StartsWith("transcoder 127.0.0.1:", stream.Source.Description, StringComparison.Ordinal);
        // The status goes out just before the line is written.
        await Eventually.WaitAsync(() => server.Logs.Contains("publish start default/live/cam_480p"), "the publish start line");
        Assert.DoesNotContain(token, server.Logs.Dump(), StringComparison.Ordinal);
        await client.DisposeAsync();
    }

    [Fact]
    public async Task A_credential_that_was_not_issued_for_the_stream_is_refused_and_not_echoed()
    {
        using var server = SecuredServer();
        server.Context.InternalPublishers.Issue(Rung);
        var forged = new string('a', 64);
        var ct = Eventually.Deadline();
        var (client, run) = await ConnectAsync(server, ct);

        var refused = await Assert.ThrowsAsync<RtmpStatusException>(() => client.PublishAsync($"cam_480p?{Credential(forged)}", ct));

        Assert.StartsWith("NetStream.Publish.BadName", refused.Message, StringComparison.Ordinal);
        await run.WaitAsync(Eventually.Timeout);
        Assert.Empty(server.Streams.Streams);
        Assert.True(server.Logs.Contains("the internal credential is not the one issued for default/live/cam_480p"), server.Logs.Dump());
        Assert.DoesNotContain(forged, server.Logs.Dump(), StringComparison.Ordinal);
        await client.DisposeAsync();
    }

    [Fact]
    public async Task The_right_credential_from_another_host_is_refused()
    {
        using var server = SecuredServer();
        var token = server.Context.InternalPublishers.Issue(Rung);
        var ct = Eventually.Deadline();
        var (client, run) = await ConnectAsync(server, ct, from: new IPEndPoint(IPAddress.Parse("203.0.113.7"), 50000));

        var refused = await Assert.ThrowsAsync<RtmpStatusException>(() => client.PublishAsync($"cam_480p?{Credential(token)}", ct));

        Assert.StartsWith("NetStream.Publish.BadName", refused.Message, StringComparison.Ordinal);
        await run.WaitAsync(Eventually.Timeout);
        Assert.True(server.Logs.Contains("closing rtmp connection from 203.0.113.7:50000: an internal credential is accepted only from this host"), server.Logs.Dump());
        Assert.Empty(server.Streams.Streams);
        await client.DisposeAsync();
    }

    [Fact]
    public async Task A_used_credential_does_not_publish_again()
    {
        using var server = SecuredServer();
        var token = server.Context.InternalPublishers.Issue(Rung);
        var ct = Eventually.Deadline();
        var (first, _) = await ConnectAsync(server, ct);
        await first.PublishAsync($"cam_480p?{Credential(token)}", ct);
        await first.DisposeAsync();
        await Eventually.WaitAsync(() => server.Streams.Streams.Count == 0, "the first publish to end");

        var (second, run) = await ConnectAsync(server, ct);
        var refused = await Assert.ThrowsAsync<RtmpStatusException>(() => second.PublishAsync($"cam_480p?{Credential(token)}", ct));

        Assert.StartsWith("NetStream.Publish.BadName", refused.Message, StringComparison.Ordinal);
        await run.WaitAsync(Eventually.Timeout);
        await second.DisposeAsync();
    }

    [Fact]
    public async Task Rungs_are_not_counted_against_the_apps_publisher_limit()
    {
        using var server = SecuredServer(maxPublishers: 1);
        server.PublishLive("cam", new Frames());
        var ct = Eventually.Deadline();
        var (client, _) = await ConnectAsync(server, ct);

        await client.PublishAsync($"cam_480p?{Credential(server.Context.InternalPublishers.Issue(Rung))}", ct);

        Assert.Equal("NetStream.Publish.Start", client.LastStatusCode);
        Assert.Equal(1, server.Streams.CountPublishing("default", "live"));
        await client.DisposeAsync();
    }
}
