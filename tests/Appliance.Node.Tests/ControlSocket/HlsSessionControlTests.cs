using System.Net;
using Appliance.Control.Contract;
using Appliance.Node.Sessions;
using Appliance.Node.Tests.Support;
using Appliance.Streaming.Streams;

namespace Appliance.Node.Tests.ControlSocket;

/// <summary>HLS players through the control socket and /metrics: listed, counted, kicked and dropped like connections.</summary>
public sealed class HlsSessionControlTests
{
    private static readonly HttpClient Http = new() { Timeout = Eventually.Timeout };
    private static readonly IPAddress Player = IPAddress.Parse("198.51.100.7");

    [Fact]
    public async Task Sessions_streams_and_metrics_show_an_hls_player_and_kick_ends_it()
    {
        await using var node = await ControlHarness.StartAsync();
        var (stream, session) = PlayHls(node, "cam");
        session.AddResponse(200, 4321);

        var sessions = await node.AskAsync(new ControlRequest { Command = "sessions", Protocol = "hls" });
        var streams = await node.AskAsync(new ControlRequest { Command = "streams" });
        var metrics = PrometheusText.Parse(await Http.GetStringAsync(AdminUrl(node, "metrics")));
        var kick = await node.AskAsync(new ControlRequest { Command = "kick", Session = session.Id });
        var refused = node.Server.Context.HlsSessions.Admit(stream, Player, "player/1", 0, 0, out _);
        var after = await node.AskAsync(new ControlRequest { Command = "sessions" });

        var listed = Assert.Single(sessions.Sessions!);
        Assert.Equal(session.Id, listed.Id);
        Assert.Equal("hls", listed.Protocol);
        Assert.Equal("198.51.100.7", listed.Client);
        Assert.Equal("default/live/cam", listed.Stream);
        Assert.Equal(4321, listed.BytesOut);
        var report = Assert.Single(streams.Streams!);
        Assert.Equal(1, report.Viewers["hls"]);
        Assert.Equal(4321, report.BytesOut);
        Assert.Equal(1, metrics.Value("appliance_viewers", "protocol=\"hls\""));
        Assert.Equal(1, metrics.Value("appliance_stream_viewers", "stream=\"default/live/cam\",protocol=\"hls\""));
        Assert.True(kick.Ok, kick.Error);
        Assert.Contains($"session {session.Id} (hls 198.51.100.7 default/live/cam) kicked by the operator; its requests get 403", kick.Message, StringComparison.Ordinal);
        Assert.Equal(HlsAdmission.Kicked, refused);
        Assert.DoesNotContain(after.Sessions!, s => s.Protocol == "hls");
        Assert.True(node.Logs.Contains("access proto=hls client=198.51.100.7 stream=default/live/cam status=200 in=0 out=4321 "), node.Logs.Dump());
    }

    [Fact]
    public async Task Drop_ends_the_hls_sessions_of_the_stream()
    {
        await using var node = await ControlHarness.StartAsync();
        var (stream, _) = PlayHls(node, "cam");

        var reply = await node.AskAsync(new ControlRequest { Command = "drop", Stream = "live/cam" });

        Assert.True(reply.Ok, reply.Error);
        Assert.EndsWith("1 HLS session(s) ended", reply.Message, StringComparison.Ordinal);
        Assert.Equal(0, node.Server.Context.HlsSessions.Count);
        Assert.Equal(0, stream.CountViewers().Hls);
        Assert.True(node.Logs.Contains("reason=\"stream dropped by the operator\""), node.Logs.Dump());
    }

    private static (LiveStream Stream, HlsSession Session) PlayHls(ControlHarness node, string name)
    {
        var context = node.Server.Context;
        context.Streams.TryPublish(new StreamKey("default", "live", name), context.Config.Domains[0].Apps[0], new TestSource(), out var stream);
        Assert.Equal(HlsAdmission.Counted, context.HlsSessions.Admit(stream, Player, "player/1", 0, 0, out var session));
        return (stream, session!);
    }

    private static string AdminUrl(ControlHarness node, string path) =>
        $"http://{node.Server.Listeners.Single(l => l.Name == "admin").Address}/{path}";
}
