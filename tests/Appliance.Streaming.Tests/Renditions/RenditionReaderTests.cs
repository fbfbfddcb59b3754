using Appliance.Streaming.Media;
using Appliance.Streaming.Renditions;
using Appliance.Streaming.Streams;
using Appliance.Streaming.Tests.Packaging;

namespace Appliance.Streaming.Tests.Renditions;

public sealed class RenditionReaderTests
{
    [Fact]
    public void A_stream_keeps_the_codecs_size_and_audio_config_its_sequence_headers_declare()
    {
        using var hls = new HlsHarness();
        Assert.Same(StreamFormat.None, hls.Stream.Format);

        hls.PublishHeaders();

        var format = hls.Stream.Format;
        Assert.Equal("avc1.64001f", format.VideoCodecs);
        Assert.Equal((1280, 720), (format.Width, format.Height));
        Assert.Equal("mp4a.40.2", format.AudioCodecs);
        Assert.Equal([0x12, 0x10], format.AudioConfig);
        Assert.Equal("avc1.64001f,mp4a.40.2", format.Codecs);
    }

    [Fact]
    public void A_video_header_that_is_not_understood_clears_what_the_last_one_said()
    {
        using var hls = new HlsHarness();
        hls.PublishHeaders();

        // An AVC sequence header whose record is cut short.
        hls.Publish(hls.Frames.Make(FrameKind.Video, 40, FrameFlags.KeyFrame | FrameFlags.SequenceHeader, [0x17, 0x00, 0x00, 0x00, 0x00, 0x01, 0x64]));

        Assert.Null(hls.Stream.Format.VideoCodecs);
        Assert.Equal(0, hls.Stream.Format.Width);
        Assert.Equal("mp4a.40.2", hls.Stream.Format.Codecs);
    }

    [Fact]
    public void Hls_figures_are_measured_over_the_listed_ts_segments()
    {
        using var hls = new HlsHarness();
        var window = hls.Stream.RequestHls()!;
        hls.PublishHeaders();
        hls.PublishMedia(0, 17_000);

        var rendition = RenditionReader.FromHls(hls.Stream, window);

        var listed = window.Segments.TakeLast(hls.App.Hls.WindowSegments).ToList();
        Assert.Equal(6, listed.Count);
        Assert.Equal(listed.Max(s => s.File.Length * 8 * 1000 / s.DurationMs), rendition.PeakBitsPerSecond);
        Assert.Equal(listed.Sum(s => s.File.Length) * 8 * 1000 / listed.Sum(s => s.DurationMs), rendition.AverageBitsPerSecond);
        Assert.Equal((25, 1), (rendition.FrameRateNumerator, rendition.FrameRateDenominator));
        Assert.Equal((1280, 720), (rendition.Width, rendition.Height));
        Assert.Equal("avc1.64001f,mp4a.40.2", rendition.Codecs);
        Assert.Equal(window.Segments.TakeLast(RenditionAlignment.CheckedSegments).Select(s => new SegmentBoundary(s.Sequence, s.StartMs)), rendition.Boundaries);
        Assert.Equal([4L, 5, 6, 7], rendition.Boundaries.Select(b => b.Number));
    }

    [Fact]
    public void Cmaf_figures_are_the_renditions_own_multivariant_playlists()
    {
        using var hls = new HlsHarness();
        var packager = hls.Stream.RequestCmaf()!;
        hls.PublishHeaders();
        hls.PublishMedia(0, 9_100);

        var snapshot = packager.Snapshot;
        var rendition = RenditionReader.FromCmaf(hls.Stream, snapshot, lowLatency: true);

        var own = snapshot.Multivariant.Variants[0];
        Assert.Equal(own.Bandwidth, rendition.PeakBitsPerSecond);
        Assert.Equal(own.AverageBandwidth, rendition.AverageBitsPerSecond);
        Assert.Equal("avc1.64001f,mp4a.40.2", rendition.Codecs);
        Assert.Equal((1280, 720, 25), (rendition.Width, rendition.Height, rendition.FrameRateNumerator));
        Assert.Equal(2, rendition.AudioChannels);
        Assert.Same(snapshot.DashLowLatency, rendition.Dash);
        Assert.Equal([0L, 1, 2, 3], rendition.Boundaries.Select(b => b.Number));
        Assert.Equal([0L, 2000, 4000, 6000], rendition.Boundaries.Select(b => b.StartMs));
        Assert.Equal((snapshot.Video!.LastPartMsn, snapshot.Video.LastPart), rendition.LastPart);

        var report = GroupPlaylists.Report("cam", snapshot.Video)!.Value;
        Assert.Equal("../cam/video-ll.m3u8", report.Uri);
        Assert.Equal((4L, snapshot.Video.LastPart), (report.LastMsn, (int)report.LastPart));
        Assert.True(report.WithoutQuery);
    }
}
