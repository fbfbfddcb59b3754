using System.Buffers.Binary;
using Appliance.Streaming.Fanout;
using Appliance.Streaming.Media;
using Appliance.Tests.Support;

namespace Appliance.Streaming.Tests.Streams;

public class WireBytesTests
{
    [Fact]
    public void RtmpBytesOfAVideoFrameStartWithAType0HeaderOnChunkStream6()
    {
        var frames = new Frames();
        var serializer = new FrameSerializer(4096);
        var frame = frames.KeyFrame(0x012345, size: 100);

        var wire = frame.GetWire(WireFormat.Rtmp, serializer).Span;

        Assert.Equal(0x06, wire[0]);                                            // fmt 0, chunk stream 6
        Assert.Equal([0x01, 0x23, 0x45], wire[1..4].ToArray());               // timestamp
        Assert.Equal([0x00, 0x00, 100], wire[4..7].ToArray());                // message length
        Assert.Equal(9, wire[7]);                                               // video
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(wire[8..12])); // message stream 1
        Assert.Equal(Payloads.AvcKeyFrame(100, 0x45), wire[12..].ToArray());
        frame.Release();
    }

    [Fact]
    public void RtmpBytesOfAudioAndScriptUseChunkStreams4And5()
    {
        var frames = new Frames();
        var serializer = new FrameSerializer(4096);
        var audio = frames.AacRaw(10);
        var script = frames.Metadata(0);

        Assert.Equal(0x04, audio.GetWire(WireFormat.Rtmp, serializer).Span[0]);
        Assert.Equal(8, audio.GetWire(WireFormat.Rtmp, serializer).Span[7]);
        Assert.Equal(0x05, script.GetWire(WireFormat.Rtmp, serializer).Span[0]);
        Assert.Equal(18, script.GetWire(WireFormat.Rtmp, serializer).Span[7]);
        audio.Release();
        script.Release();
    }

    [Fact]
    public void ALargeFrameContinuesInType3ChunksOfTheConfiguredSize()
    {
        var frames = new Frames();
        var serializer = new FrameSerializer(128);
        var frame = frames.KeyFrame(40, size: 300);

        var wire = frame.GetWire(WireFormat.Rtmp, serializer).Span;

        Assert.Equal(12 + 300 + 2, wire.Length);
        Assert.Equal(0xC6, wire[12 + 128]);
        Assert.Equal(0xC6, wire[12 + 128 + 1 + 128]);
        frame.Release();
    }

    [Fact]
    public void TwoViewersOfAFormatSendTheSameBuffer()
    {
        var h = new StreamHarness();
        h.PublishHeaders();
        h.PublishGop(0, 80);
        var first = h.Subscribe(WireFormat.Rtmp);
        var second = h.Subscribe(WireFormat.Rtmp);
        var firstBatch = new OutputBatch();
        var secondBatch = new OutputBatch();

        h.Stream.Collect(first, firstBatch);
        h.Stream.Collect(second, secondBatch);

        Assert.Equal(6, firstBatch.Count);
        Assert.Equal(firstBatch.Count, secondBatch.Count);
        for (var i = 0; i < firstBatch.Count; i++)
        {
            var buffer = firstBatch.Slices.Span[i].Buffer;
            Assert.Same(buffer, secondBatch.Slices.Span[i].Buffer);
            // The frame's own reference plus one per batch.
            Assert.Equal(3, buffer.RefCount);
        }
        firstBatch.ReleaseAll();
        secondBatch.ReleaseAll();
    }

    [Fact]
    public void EachFormatIsSerializedOnce()
    {
        var frames = new Frames();
        var serializer = new FrameSerializer(4096);
        var frame = frames.KeyFrame(0);

        var rtmp = frame.GetWire(WireFormat.Rtmp, serializer);
        var flv = frame.GetWire(WireFormat.Flv, serializer);

        Assert.Same(rtmp, frame.GetWire(WireFormat.Rtmp, serializer));
        Assert.Same(flv, frame.GetWire(WireFormat.Flv, serializer));
        Assert.NotSame(rtmp, flv);
        frame.Release();
    }
}
