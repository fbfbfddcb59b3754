using Appliance.Streaming.Ingest;
using Appliance.Streaming.Media;
using Microsoft.Extensions.Logging.Abstractions;
using Appliance.Tests.Support;

namespace Appliance.Streaming.Tests.Packaging;

/// <summary>
/// RTMP's 32-bit timestamps wrap after 49.7 days; one source's tracks must land on one 64-bit
/// timeline, or HLS (which cuts on 64-bit media time) sees jumps of 2^32 ms. FLV and TS viewers
/// would not notice: 2^32 ms is a multiple of both their clocks.
/// </summary>
public class HlsAcrossTheWrapTests
{
    private const long Wrap = 1L << 32;

    [Fact]
    public void A_source_whose_video_starts_before_the_wrap_and_audio_after_it_is_segmented_without_a_break()
    {
        using var hls = new HlsHarness();
        var ingest = new MediaIngest(hls.Stream, hls.Source, NullLogger.Instance);
        var window = hls.Stream.RequestHls()!;
        Accept(ingest, hls.Frames.AvcSequenceHeader(0));
        Accept(ingest, hls.Frames.AacSequenceHeader(0));
        // Video from 40 ms before 2^32, audio from 5 ms after it: every stamp but the first video one has wrapped.
        for (long t = Wrap - 40, audio = Wrap + 5; t < Wrap + 12_000; t += 40)
        {
            Accept(ingest, (t - Wrap + 40) % 1000 == 0 ? TsMedia.KeyFrame(hls.Frames, t) : TsMedia.InterFrame(hls.Frames, t));
            for (; audio < t + 40; audio += 23)
            {
                Accept(ingest, TsMedia.Audio(hls.Frames, audio));
            }
        }

        Assert.False(hls.Logs.Contains("timestamp jumped"), hls.Logs.Dump());
        Assert.True(window.Segments.Count >= 4, $"{window.Segments.Count} segments");
        Assert.All(window.Segments, s => Assert.False(s.Discontinuity));
        Assert.All(window.Segments, s => Assert.InRange(s.StartMs, Wrap - 40, Wrap + 12_000));
    }

    /// <summary>Hands a frame's payload to the ingest as an RTMP message with its low 32 bits.</summary>
    private static void Accept(MediaIngest ingest, MediaFrame frame)
    {
        var typeId = frame.Kind == FrameKind.Video ? (byte)9 : (byte)8;
        var timestamp = (uint)frame.Timestamp;
        var payload = frame.Payload;
        ingest.Accept(typeId, timestamp, payload);
    }
}
