using Appliance.Relay.Hosting;
using System.Net;
using System.Net.Sockets;
using Appliance.Relay.Config;
using Appliance.Relay;
using Appliance.Streaming.Logging;
using Appliance.Relay.Push;
using Appliance.Transport.Accounting;
using Appliance.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Appliance.Relay.Tests.Push;

public sealed class PushForwarderTests
{
    [Fact]
    public async Task A_target_that_gives_message_stream_1_is_fed_the_streams_media()
    {
        await using var target = new ScriptedRtmpTarget(streamId: 1);
        var (h, push) = Publish(target);
        await using var _ = push;

        h.PublishHeaders();
        h.PublishGop(0, 2000);

        await Eventually.WaitAsync(() => target.MediaMessages >= 20, "media at the target");
        Assert.Equal("forwarding", Assert.Single(push.Report(h.Stream)).State);
    }

    [Fact]
    public async Task A_target_that_gives_another_message_stream_is_refused_with_the_reason_and_retried()
    {
        await using var target = new ScriptedRtmpTarget(streamId: 2);
        var (h, push) = Publish(target);
        await using var _ = push;
        h.PublishHeaders();
        h.PublishGop(0, 2000);

        await Eventually.WaitAsync(() => push.Report(h.Stream) is [{ LastError: not null }], "the push to fail");

        var report = Assert.Single(push.Report(h.Stream));
        Assert.Equal("publish failed: the target gave message stream 2; forwarding needs stream 1", report.LastError);
        Assert.NotEqual("forwarding", report.State);
        // Chunks for stream 1 must never reach a session that publishes on stream 2.
        Assert.Equal(0, target.MediaMessages);
    }

    [Fact]
    public async Task A_push_session_counts_its_bytes_while_it_forwards_and_writes_an_access_line_when_the_stream_ends()
    {
        await using var target = new ScriptedRtmpTarget(streamId: 1);
        var logs = new LogCollector();
        using var loggers = new LoggerFactory([logs]);
        await using var accessLog = new AccessLog("", loggers.CreateLogger("access"));
        var traffic = new TrafficTotals();
        var pushed = TrafficTotals.IndexOf(TrafficTotals.Push);
        var (h, push) = Publish(target, traffic, accessLog);
        await using var _ = push;

        h.PublishHeaders();
        h.PublishGop(0, 1000);
        await Eventually.WaitAsync(() => target.MediaMessages >= 20 && traffic.Snapshot([]).Out[pushed] == target.BytesReceived, "the first GOP at the target");
        var first = traffic.Snapshot([]);
        h.PublishGop(1040, 2000);
        await Eventually.WaitAsync(() => target.MediaMessages >= 45 && traffic.Snapshot([]).Out[pushed] == target.BytesReceived, "the second GOP at the target");
        var second = traffic.Snapshot([]);
        var openWhileForwarding = traffic.OpenOutbound;
        h.Stream.End();
        await Eventually.WaitAsync(() => logs.Contains("proto=push-rtmp"), "the push's access line");

        Assert.Equal(1, openWhileForwarding);
        Assert.True(second.Out[pushed] > first.Out[pushed] + 25 * 32, $"{first.Out[pushed]} then {second.Out[pushed]} bytes pushed");
        Assert.Equal(target.BytesSent, second.In[pushed]);
        var line = logs.Lines.Single(l => l.Message.Contains("proto=push-rtmp", StringComparison.Ordinal)).Message;
        Assert.Contains($"proto=push-rtmp client=127.0.0.1:{target.Port} stream=default/live/cam status=ok in={target.BytesSent} out={target.BytesReceived} ", line, StringComparison.Ordinal);
        Assert.EndsWith("reason=\"stream ended\"", line, StringComparison.Ordinal);
        Assert.Equal(0, traffic.OpenOutbound);
        Assert.Equal(target.BytesReceived, traffic.Snapshot([]).Out[pushed]);
    }

    [Fact]
    public async Task A_target_that_refuses_the_connect_is_reported_with_host_port_and_cause()
    {
        using var closed = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        closed.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)closed.LocalEndPoint!).Port;
        var (h, push) = Publish($"rtmp://127.0.0.1:{port}/live");
        await using var _ = push;

        await Eventually.WaitAsync(() => push.Report(h.Stream) is [{ LastError: not null }], "the push to fail");

        Assert.Equal($"connect to 127.0.0.1:{port} failed: connection refused", Assert.Single(push.Report(h.Stream)).LastError);
    }

    [Fact]
    public async Task A_target_that_never_answers_the_connect_is_given_up_at_connect_timeout()
    {
        // Backlog 0 and one connection queued: Linux drops the next SYN, so the connect gets no answer.
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(0);
        using var queued = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        queued.Connect(listener.LocalEndPoint!);
        var (h, push) = Publish($"rtmp://127.0.0.1:{((IPEndPoint)listener.LocalEndPoint!).Port}/live", connectTimeoutMs: 200);
        await using var _ = push;

        await Eventually.WaitAsync(() => push.Report(h.Stream) is [{ LastError: not null }], "the push to fail");

        Assert.Equal("no answer within 200 ms", Assert.Single(push.Report(h.Stream)).LastError);
    }

    [Fact]
    public async Task An_rtmps_target_whose_ca_file_went_bad_since_the_config_was_read_is_refused_with_the_file_named_and_retried()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(8);
        var missing = Path.Combine(Path.GetTempPath(), $"appliance-push-ca-{Guid.NewGuid():N}.pem");
        var (h, push) = Publish(new PushTargetConfig { Url = $"rtmps://127.0.0.1:{((IPEndPoint)listener.LocalEndPoint!).Port}/live", CaFile = missing });
        await using var _ = push;

        await Eventually.WaitAsync(() => push.Report(h.Stream) is [{ LastError: not null }], "the push to fail");

        Assert.Equal($"tls: {missing}: cannot read the CA file: no such file", Assert.Single(push.Report(h.Stream)).LastError);
        // The trust is settled before the connect: nothing was dialled with a CA file that cannot be read.
        Assert.False(listener.Poll(0, SelectMode.SelectRead), "the target was connected to");
    }

    private static (StreamHarness Harness, PushManager Push) Publish(ScriptedRtmpTarget target, TrafficTotals? traffic = null, AccessLog? accessLog = null) =>
        Publish($"rtmp://127.0.0.1:{target.Port}/live", traffic, accessLog);

    private static (StreamHarness Harness, PushManager Push) Publish(PushTargetConfig target, TrafficTotals? traffic = null, AccessLog? accessLog = null, int connectTimeoutMs = 3_000)
    {
        var app = new RelayAppConfig { Push = [target], Pull = new PullConfig { ConnectTimeoutMs = connectTimeoutMs } };
        var h = new StreamHarness(app: app);
        var loggers = new LoggerFactory();
        var push = new PushManager(new RelayServices("edge", h.Registry, traffic ?? new TrafficTotals(), accessLog ?? new AccessLog("", loggers.CreateLogger("access")), loggers));
        push.OnPublished(h.Stream, app, []);
        return (h, push);
    }
}
