using Appliance.Live.Relay.Push;
using Appliance.Live.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Appliance.Live.Tests.Relay.Push;

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

    private static (StreamHarness Harness, PushManager Push) Publish(ScriptedRtmpTarget target)
    {
        var h = new StreamHarness(app => app.Push = [$"rtmp://127.0.0.1:{target.Port}/live"]);
        var push = new PushManager("edge", new LoggerFactory());
        push.OnPublished(h.Stream, []);
        return (h, push);
    }
}
