using Appliance.Streaming.Media;
using Appliance.Streaming.Streams;
using Appliance.Tests.Support;

namespace Appliance.Streaming.Tests.Streams;

/// <summary>HLS viewers, counted in by the node's session table, share the stream's viewer limit with connected viewers.</summary>
public class HlsViewerCountTests
{
    [Fact]
    public void HlsAndConnectedViewersShareMaxViewersPerStream()
    {
        var h = new StreamHarness(app => app.MaxViewersPerStream = 2);
        h.PublishHeaders();

        Assert.True(h.Stream.TryAddHlsViewer());
        var flv = h.Subscribe();
        var full = h.Stream.TryAddHlsViewer();
        var refusedSubscriber = h.Stream.Subscribe(flv.Writer, WireFormat.Ts);
        var counts = h.Stream.CountViewers();
        h.Stream.RemoveHlsViewer();
        var again = h.Stream.TryAddHlsViewer();

        Assert.False(full);
        Assert.Null(refusedSubscriber);
        Assert.Equal(new ViewerCounts(0, 1, 0, 1), counts);
        Assert.Equal(2, counts.Total);
        Assert.True(again);
        Assert.True(h.Stream.IsFull);
    }

    [Fact]
    public void AnEndedStreamTakesNoHlsViewer()
    {
        var h = new StreamHarness();
        h.PublishHeaders();

        h.Stream.End();

        Assert.False(h.Stream.TryAddHlsViewer());
        Assert.Equal(0, h.Stream.CountViewers().Hls);
    }
}
