using System.Text.Json;
using Appliance.Codecs.Dash;
using Appliance.Codecs.Tests.MpegTs;

namespace Appliance.Codecs.Tests.Dash;

/// <summary>
/// Our MPD past a real DASH parser: ffmpeg writes CMAF segments of a clip, we write a dynamic MPD
/// for them (availability started as long ago as the clip lasts), and ffprobe must find the streams.
/// </summary>
public sealed class FfmpegReadsOurManifestTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("appliance-dash-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [FfmpegFact]
    public void FfprobeFindsTheStreamsOfOurDynamicManifest()
    {
        var (exitCode, _, stderr) = ExternalTool.Run("ffmpeg",
            "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-f", "lavfi", "-i", "sine=sample_rate=48000",
            "-t", "6", "-c:v", "libx264", "-g", "50", "-c:a", "aac", "-f", "dash", "-use_timeline", "1", "-use_template", "1", "-seg_duration", "2",
            Path.Combine(_directory, "ffmpeg.mpd"));
        Assert.True(exitCode == 0, $"ffmpeg failed: {stderr}");

        var now = DateTimeOffset.UtcNow;
        var video = new DashAdaptationSet(0, DashContentType.Video,
        [
            new DashRepresentation("0", "avc1.64000d", 300_000,
                new DashSegmentTemplate(12800, "init-stream$RepresentationID$.m4s", "chunk-stream$RepresentationID$-$Number%05d$.m4s") { Timeline = [new(0, 25600), new(25600, 25600), new(51200, 25600)] })
            {
                Width = 320, Height = 240, FrameRateNumerator = 25,
            },
        ]);
        var audio = new DashAdaptationSet(1, DashContentType.Audio,
        [
            new DashRepresentation("1", "mp4a.40.2", 69_000,
                new DashSegmentTemplate(48000, "init-stream$RepresentationID$.m4s", "chunk-stream$RepresentationID$-$Number%05d$.m4s") { Timeline = [new(0, 92160), new(92160, 96256), new(188416, 96256)] })
            {
                AudioSamplingRate = 48000, AudioChannels = 1,
            },
        ]);
        var manifest = new DashManifest(now.AddSeconds(-6.5), now, 2000, [new DashPeriod("0", 0, [video, audio])])
        {
            MinimumUpdatePeriodMs = 2000, TimeShiftBufferDepthMs = 6000, MaxSegmentDurationMs = 2000, SuggestedPresentationDelayMs = 4000,
        };
        File.WriteAllBytes(Path.Combine(_directory, "ours.mpd"), DashManifestWriter.Write(manifest));

        // Probing opens the init segments and the first media segments through our templates (a wrong one fails it).
        var (probe, stdout, errors) = ExternalTool.Run("ffprobe", "-v", "error", "-show_streams", "-of", "json", Path.Combine(_directory, "ours.mpd"));
        Assert.True(probe == 0, errors);
        Assert.Equal("", errors);
        using var json = JsonDocument.Parse(stdout);
        var streams = json.RootElement.GetProperty("streams").EnumerateArray()
            .Select(s => $"{s.GetProperty("codec_type").GetString()} {s.GetProperty("codec_name").GetString()}").Order(StringComparer.Ordinal);
        Assert.Equal(["audio aac", "video h264"], streams);
    }
}
