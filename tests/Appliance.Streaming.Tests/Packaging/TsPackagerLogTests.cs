using System.Text.RegularExpressions;
using Appliance.Streaming.Media;
using Appliance.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Appliance.Streaming.Tests.Packaging;

/// <summary>What a broken publisher makes TS packaging log: the true reason once, then counts, not a line per frame.</summary>
public sealed partial class TsPackagerLogTests
{
    private const string Truncated =
        "stream default/live/cam: TS: video sequence header refused: the AVCDecoderConfigurationRecord is truncated in its SPS (SPS 1 of 1 claims 26 bytes, 10 left); " +
        "the track is left out of HTTP-TS and HLS until a valid one arrives";

    [Fact]
    public void A_corrupted_avc_sequence_header_is_logged_once_with_the_true_reason_and_the_frames_after_it_are_counted()
    {
        using var h = new HlsHarness();
        Assert.NotNull(h.Stream.RequestHls());

        h.Publish(CorruptedAvcSequenceHeader(h.Frames));
        h.Publish(h.Frames.AacSequenceHeader(0));
        h.PublishMedia(0, 4_000);
        var whilePublishing = Warnings(h);
        var packager = h.TsPackager;
        h.Stream.End();

        Assert.Equal(Truncated, whilePublishing[0]);
        Assert.InRange(whilePublishing.Count, 1, 2);
        Assert.All(whilePublishing.Skip(1), w => Assert.Matches(CountLine(), w));
        Assert.DoesNotContain(h.Logs.Lines, l => l.Message.Contains("FrameTooLarge", StringComparison.Ordinal));
        Assert.Equal(100, packager.FramesDropped);
        // Audio is still packaged; every video frame left out is accounted for in the count lines.
        Assert.True(packager.FramesPackaged > 100, $"{packager.FramesPackaged} frames packaged");
        Assert.Equal(100, Warnings(h).Skip(1).Sum(w => int.Parse(CountLine().Match(w).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Video_without_any_sequence_header_is_logged_once_as_such()
    {
        using var h = new HlsHarness();
        h.Stream.EnsureTsPackaging();

        h.Publish(h.Frames.AacSequenceHeader(0));
        h.PublishMedia(0, 2_000);

        var warning = Assert.Single(Warnings(h));
        Assert.Equal("stream default/live/cam: dropped a frame: TS: no video sequence header yet; video frames are left out of HTTP-TS and HLS until one arrives", warning);
        Assert.Equal(50, h.TsPackager.FramesDropped);
    }

    [Fact]
    public void A_valid_sequence_header_ends_the_fault_with_its_count_and_a_later_one_is_news_again()
    {
        using var h = new HlsHarness();
        h.Stream.EnsureTsPackaging();
        h.Publish(CorruptedAvcSequenceHeader(h.Frames));
        h.Publish(h.Frames.AacSequenceHeader(0));
        h.PublishMedia(0, 400);

        h.Publish(h.Frames.AvcSequenceHeader(400));
        h.PublishMedia(400, 2_000);
        var dropped = h.TsPackager.FramesDropped;
        h.Publish(CorruptedAvcSequenceHeader(h.Frames, 2_000));

        var warnings = Warnings(h);
        Assert.Equal(3, warnings.Count);
        Assert.Equal(Truncated, warnings[0]);
        Assert.Equal("stream default/live/cam: video frames left out of TS (no usable video sequence header): repeated 10 more times in the last " +
            CountLine().Match(warnings[1]).Groups[2].Value + " s", warnings[1]);
        // The muxer keeps the good config it has: the frames go on.
        Assert.StartsWith("stream default/live/cam: TS: video sequence header refused: the AVCDecoderConfigurationRecord is truncated in its SPS", warnings[2], StringComparison.Ordinal);
        Assert.EndsWith("; the previous one stays in use", warnings[2], StringComparison.Ordinal);
        Assert.Equal(10, dropped);
    }

    /// <summary>The FLV AVC sequence header of <see cref="Payloads"/>, cut in the middle of its SPS.</summary>
    private static MediaFrame CorruptedAvcSequenceHeader(Frames frames, long ts = 0) =>
        frames.Make(FrameKind.Video, ts, FrameFlags.KeyFrame | FrameFlags.SequenceHeader, Payloads.AvcSequenceHeader().AsSpan(0, 5 + 8 + 10));

    private static List<string> Warnings(HlsHarness h) =>
        [.. h.Logs.Lines.Where(l => l.Level >= LogLevel.Warning).Select(l => l.Message)];

    [GeneratedRegex(@"^stream default/live/cam: video frames left out of TS \(no usable video sequence header\): repeated (\d+) more times in the last ([\d.]+) s$")]
    private static partial Regex CountLine();
}
