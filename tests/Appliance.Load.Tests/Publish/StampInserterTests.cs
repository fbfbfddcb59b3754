using Appliance.Codecs.Avc;
using Appliance.Load.Publish;

namespace Appliance.Load.Tests.Publish;

public class StampInserterTests
{
    private const long Time = 1_796_598_000_123_456;

    [Fact]
    public void AnH264FrameGetsTheStampAsItsFirstNalUnitAndKeepsItsOwn()
    {
        // Legacy AVC keyframe, composition time 40 ms, one slice NAL of 4 bytes.
        byte[] frame = [0x17, 0x01, 0x00, 0x00, 0x28, 0, 0, 0, 4, 0x65, 0x88, 0x84, 0x00];
        var inserter = new StampInserter(nalLengthSize: 4);

        var stamped = inserter.Stamp(frame, Time, out var done).ToArray();

        Assert.True(done);
        Assert.Equal(frame[..5], stamped[..5]);
        var nalLength = (stamped[5] << 24) | (stamped[6] << 16) | (stamped[7] << 8) | stamped[8];
        Assert.Equal(0x06, stamped[9]);
        Assert.Equal(frame[5..], stamped[(9 + nalLength)..]);
        Assert.True(SeiStamp.TryFind(stamped, out var time));
        Assert.Equal(Time, time);
    }

    [Fact]
    public void AnEnhancedHevcFrameGetsAPrefixSeiWithTwoByteLengths()
    {
        // Enhanced RTMP: key frame, CodedFramesX (no composition time), FourCC hvc1; a 3-byte NAL.
        byte[] frame = [0x93, (byte)'h', (byte)'v', (byte)'c', (byte)'1', 0, 3, 0x26, 0x01, 0xAF];
        var inserter = new StampInserter(nalLengthSize: 2);

        var stamped = inserter.Stamp(frame, Time, out var done).ToArray();

        Assert.True(done);
        Assert.Equal(frame[..5], stamped[..5]);
        var nalLength = (stamped[5] << 8) | stamped[6];
        Assert.Equal(39, (stamped[7] >> 1) & 0x3F);
        Assert.Equal(frame[5..], stamped[(7 + nalLength)..]);
        Assert.True(SeiStamp.TryFind(stamped, out var time));
        Assert.Equal(Time, time);
    }

    [Fact]
    public void SequenceHeadersAndOtherCodecsPassUnstamped()
    {
        byte[] avcHeader = [0x17, 0x00, 0, 0, 0, 0x01, 0x64, 0x00, 0x1F, 0xFF];
        byte[] vp6 = [0x14, 0x00, 0x11];
        var inserter = new StampInserter(nalLengthSize: 4);

        Assert.Equal(avcHeader, inserter.Stamp(avcHeader, Time, out var headerStamped).ToArray());
        Assert.False(headerStamped);
        Assert.Equal(vp6, inserter.Stamp(vp6, Time, out var vp6Stamped).ToArray());
        Assert.False(vp6Stamped);
    }

    [Fact]
    public void AFrameLargerThanTheBufferGrowsIt()
    {
        var frame = new byte[200_000];
        frame[0] = 0x27;
        frame[1] = 0x01;
        var inserter = new StampInserter(nalLengthSize: 4);

        var stamped = inserter.Stamp(frame, Time, out var done);

        Assert.True(done);
        Assert.True(stamped.Length > frame.Length);
        Assert.True(SeiStamp.TryFind(stamped.Span, out _));
    }
}
