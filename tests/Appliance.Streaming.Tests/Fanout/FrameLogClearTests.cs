using Appliance.Streaming.Fanout;
using Appliance.Streaming.Media;
using Appliance.Tests.Support;

namespace Appliance.Streaming.Tests.Fanout;

public class FrameLogClearTests
{
    private readonly Frames _frames = new();

    [Fact]
    public void ClearReleasesEveryFramePayload()
    {
        var log = new FrameLog(1024, long.MaxValue);
        for (var i = 0; i < 50; i++)
        {
            log.Append(i % 10 == 0 ? _frames.KeyFrame(i * 40) : _frames.InterFrame(i * 40));
        }
        Assert.Equal(50, _frames.Pool.Outstanding);

        log.Clear();

        Assert.Equal(0, _frames.Pool.Outstanding);
        Assert.Equal(0, log.Count);
        Assert.Equal(0, log.Bytes);
        Assert.Equal(-1, log.LastKeyFrame);
    }

    [Fact]
    public void ClearReleasesTheWireBytesOfEveryFrame()
    {
        var serializer = new FrameSerializer(4096);
        var log = new FrameLog(1024, long.MaxValue);
        var frame = _frames.KeyFrame(0);
        log.Append(frame);
        // Hold our own reference so the buffer cannot go back to the shared pool under us.
        var wire = frame.GetWire(WireFormat.Flv, serializer).AddRef();
        Assert.Equal(2, wire.RefCount);

        log.Clear();

        Assert.Equal(1, wire.RefCount);
        wire.Release();
    }

    [Fact]
    public void AFrameStillReferencedElsewhereOutlivesClear()
    {
        var log = new FrameLog(1024, long.MaxValue);
        var frame = _frames.KeyFrame(0);
        log.Append(frame);
        frame.AddRef();

        log.Clear();

        Assert.Equal(1, _frames.Pool.Outstanding);
        frame.Release();
        Assert.Equal(0, _frames.Pool.Outstanding);
    }
}
