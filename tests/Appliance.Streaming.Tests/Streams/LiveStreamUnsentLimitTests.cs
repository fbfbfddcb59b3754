using Appliance.Streaming.Fanout;
using Appliance.Streaming.Media;
using Appliance.Tests.Support;

namespace Appliance.Streaming.Tests.Streams;

/// <summary>
/// Each viewer's transport is told the app's maxViewerUnsentBytes when the viewer joins, so a slow
/// path shows as lag the node skips, not as seconds held in a kernel send buffer.
/// </summary>
public class LiveStreamUnsentLimitTests
{
    [Fact]
    public void A_viewer_joining_bounds_its_unsent_bytes_to_the_apps_setting()
    {
        var h = new StreamHarness(app => app.MaxViewerUnsentBytes = 32 * 1024);
        h.PublishHeaders();
        var sink = new RecordingSink();

        Assert.NotNull(h.Stream.Subscribe(new ConnectionWriter(sink), WireFormat.Flv));

        Assert.Equal(32 * 1024, sink.UnsentLimit);
    }

    [Fact]
    public void A_forwarder_is_bounded_like_a_viewer()
    {
        var h = new StreamHarness();
        h.PublishHeaders();
        var sink = new RecordingSink();

        Assert.NotNull(h.Stream.SubscribeForwarder(new ConnectionWriter(sink)));

        Assert.Equal(Settings.StreamingAppConfig.DefaultMaxViewerUnsentBytes, sink.UnsentLimit);
    }

    [Fact]
    public void Another_nodes_pull_keeps_the_kernels_sizes_so_its_parents_burst_arrives_whole()
    {
        var h = new StreamHarness();
        h.PublishHeaders();
        var sink = new RecordingSink();

        Assert.NotNull(h.Stream.Subscribe(new ConnectionWriter(sink), WireFormat.Rtmp, relay: true));

        Assert.Null(sink.UnsentLimit);
    }

    [Fact]
    public void Zero_leaves_the_kernels_own_buffer_sizes()
    {
        var h = new StreamHarness(app => app.MaxViewerUnsentBytes = 0);
        h.PublishHeaders();
        var sink = new RecordingSink();

        Assert.NotNull(h.Stream.Subscribe(new ConnectionWriter(sink), WireFormat.Flv));

        Assert.Null(sink.UnsentLimit);
    }
}
