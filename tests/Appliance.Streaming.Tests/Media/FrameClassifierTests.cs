using Appliance.Streaming.Ingest;
using Appliance.Streaming.Media;
using Appliance.Streaming.Streams;
using Appliance.Tests.Support;

namespace Appliance.Streaming.Tests.Media;

public class FrameClassifierTests
{
    [Fact]
    public void AnAvcSequenceHeaderIsFlaggedAndDescribesTheStream()
    {
        var stats = new StreamStats();

        Assert.True(FrameClassifier.TryClassifyVideo(Payloads.AvcSequenceHeader(), stats, out var flags));

        Assert.Equal(FrameFlags.KeyFrame | FrameFlags.SequenceHeader, flags);
        Assert.Equal("avc", stats.VideoCodec);
        Assert.Equal((1280, 720), (stats.Width, stats.Height));
    }

    [Fact]
    public void KeyAndInterFramesAreToldApart()
    {
        var stats = new StreamStats();

        Assert.True(FrameClassifier.TryClassifyVideo(Payloads.AvcKeyFrame(), stats, out var key));
        Assert.True(FrameClassifier.TryClassifyVideo(Payloads.AvcInterFrame(), stats, out var inter));

        Assert.Equal(FrameFlags.KeyFrame, key);
        Assert.Equal(FrameFlags.None, inter);
        Assert.Null(stats.VideoCodec);
    }

    [Fact]
    public void AKeyframesCompositionOffsetIsKeptAsTheSourcesDecodeDelay()
    {
        var stats = new StreamStats();
        // A keyframe shown 67 ms after it is decoded (an encoder with B-frames), then an inter frame that says otherwise.
        byte[] keyFrame = [0x17, 0x01, 0x00, 0x00, 0x43, 0, 0, 0, 1, 0x65];
        byte[] interFrame = [0x27, 0x01, 0x00, 0x00, 0x85, 0, 0, 0, 1, 0x41];

        Assert.True(FrameClassifier.TryClassifyVideo(keyFrame, stats, out _));
        Assert.True(FrameClassifier.TryClassifyVideo(interFrame, stats, out _));

        Assert.Equal(67, stats.KeyFrameCompositionMs);
    }

    [Fact]
    public void AnAacSequenceHeaderIsFlaggedAndDescribesTheAudio()
    {
        var stats = new StreamStats();

        Assert.True(FrameClassifier.TryClassifyAudio(Payloads.AacSequenceHeader(), stats, out var flags));
        Assert.True(FrameClassifier.TryClassifyAudio(Payloads.AacRaw(), stats, out var raw));

        Assert.Equal(FrameFlags.SequenceHeader, flags);
        Assert.Equal(FrameFlags.None, raw);
        Assert.Equal("aac (object type 2, 44100 Hz, 2 ch)", stats.AudioCodec);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0x17 })]
    [InlineData(new byte[] { 0x17, 0x07, 0, 0, 0 })]
    [InlineData(new byte[] { 0x0F, 0x01 })]
    public void AnUnreadableVideoHeaderIsRefused(byte[] payload)
    {
        Assert.False(FrameClassifier.TryClassifyVideo(payload, new StreamStats(), out _));
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0xAF })]
    [InlineData(new byte[] { 0xAF, 0x05 })]
    public void AnUnreadableAudioHeaderIsRefused(byte[] payload)
    {
        Assert.False(FrameClassifier.TryClassifyAudio(payload, new StreamStats(), out _));
    }
}
