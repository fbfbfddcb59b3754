using System.Text.RegularExpressions;
using Appliance.Codecs.Aac;
using Appliance.Codecs.Avc;
using Appliance.Codecs.Hevc;
using Appliance.Codecs.Tests.MpegTs;
using Appliance.Codecs.Tests.Support;

namespace Appliance.Codecs.Tests.Hls;

/// <summary>
/// Our codec strings against the CODECS ffmpeg's own HLS fMP4 muxer writes for the same stream:
/// ffmpeg encodes, writes the multivariant playlist and the init segment; we read the avcC/hvcC
/// and esds of that init segment and must name them as ffmpeg did.
/// </summary>
public sealed partial class FfmpegCodecStringTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("appliance-codecs-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [FfmpegFact]
    public void H264HighAndAacLcAreNamedAsFfmpegNamesThem()
    {
        var (ffmpegCodecs, init) = Package("-c:v", "libx264", "-profile:v", "high", "-level", "3.1");

        Assert.True(AvcCodecString.TryCreate(Mp4Boxes.Payload(init, "avcC"), out var video, out var problem), problem);
        Assert.True(AacCodecString.TryCreate(Mp4Boxes.AudioSpecificConfig(Mp4Boxes.Payload(init, "esds")), out var audio, out problem), problem);
        Assert.Equal("avc1.64001f,mp4a.40.2", ffmpegCodecs);
        Assert.Equal(ffmpegCodecs, $"{video},{audio}");
    }

    [FfmpegFact]
    public void H264BaselineIsNamedAsFfmpegNamesIt()
    {
        var (ffmpegCodecs, init) = Package("-c:v", "libx264", "-profile:v", "baseline", "-level", "3.0");

        Assert.True(AvcCodecString.TryCreate(Mp4Boxes.Payload(init, "avcC"), out var video, out var problem), problem);
        Assert.Equal("avc1.42c01e,mp4a.40.2", ffmpegCodecs);
        Assert.StartsWith(video + ",", ffmpegCodecs, StringComparison.Ordinal);
    }

    [FfmpegFact]
    public void HevcProfileAndLevelAgreeWithFfmpegAndTheRestFollowsTheRecord()
    {
        var (ffmpegCodecs, init) = Package("-c:v", "libx265", "-tag:v", "hvc1", "-x265-params", "log-level=error");

        Assert.True(HevcCodecString.TryCreate(Mp4Boxes.Payload(init, "hvcC"), out var video, out var problem), problem);
        // ffmpeg writes "hvc1.<profile>.4.L<level>.B01" whatever the stream: only profile and level are read.
        var ffmpegVideo = ffmpegCodecs.Split(',')[0];
        var match = FfmpegHevc().Match(ffmpegVideo);
        Assert.True(match.Success, ffmpegVideo);
        // x265 Main for 320x240: level 2 (60); compatibility flags 1 and 2; progressive, frame-only.
        Assert.Equal($"hvc1.{match.Groups[1].Value}.6.L{match.Groups[2].Value}.90", video);
        Assert.Equal("hvc1.1.6.L60.90", video);
    }

    private (string Codecs, byte[] Init) Package(params string[] video)
    {
        var (exitCode, _, stderr) = ExternalTool.Run("ffmpeg",
        [
            "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-f", "lavfi", "-i", "sine=sample_rate=44100",
            "-t", "1", .. video, "-c:a", "aac", "-f", "hls", "-hls_segment_type", "fmp4", "-master_pl_name", "m.m3u8",
            "-hls_fmp4_init_filename", "init.mp4", Path.Combine(_directory, "out.m3u8"),
        ]);
        Assert.True(exitCode == 0, $"ffmpeg failed: {stderr}");
        var multivariant = File.ReadAllText(Path.Combine(_directory, "m.m3u8"));
        var codecs = Codecs().Match(multivariant);
        Assert.True(codecs.Success, multivariant);
        return (codecs.Groups[1].Value, File.ReadAllBytes(Path.Combine(_directory, "init.mp4")));
    }

    [GeneratedRegex("CODECS=\"([^\"]+)\"")]
    private static partial Regex Codecs();

    [GeneratedRegex(@"^hvc1\.(\d+)\.4\.L(\d+)\.B01$")]
    private static partial Regex FfmpegHevc();
}
