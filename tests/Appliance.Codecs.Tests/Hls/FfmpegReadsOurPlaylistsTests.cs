using System.Globalization;
using System.Text.Json;
using Appliance.Codecs.Aac;
using Appliance.Codecs.Avc;
using Appliance.Codecs.Hls;
using Appliance.Codecs.Tests.MpegTs;
using Appliance.Codecs.Tests.Support;

namespace Appliance.Codecs.Tests.Hls;

/// <summary>
/// Our playlists past a real HLS parser: ffmpeg writes CMAF segments of a clip (video and audio
/// apart), we write the multivariant and low-latency media playlists for them, and ffprobe must
/// read through ours exactly what it reads through ffmpeg's own playlists.
/// </summary>
public sealed class FfmpegReadsOurPlaylistsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("appliance-hls-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [FfmpegFact]
    public void FfprobeReadsTheSameStreamsThroughOurPlaylists()
    {
        var (exitCode, _, stderr) = ExternalTool.Run("ffmpeg",
            "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-f", "lavfi", "-i", "sine=sample_rate=48000",
            "-t", "4", "-map", "0:v", "-map", "1:a", "-c:v", "libx264", "-g", "25", "-c:a", "aac", "-ac", "2",
            "-f", "hls", "-hls_time", "1", "-hls_playlist_type", "vod", "-hls_segment_type", "fmp4",
            "-hls_segment_filename", Path.Combine(_directory, "seg_%v_%d.m4s"), "-hls_fmp4_init_filename", "init.mp4",
            "-var_stream_map", "v:0,agroup:aud a:0,agroup:aud", "-master_pl_name", "ffmpeg.m3u8", Path.Combine(_directory, "ffmpeg_%v.m3u8"));
        Assert.True(exitCode == 0, $"ffmpeg failed: {stderr}");

        var video = OurMediaPlaylist("ffmpeg_0.m3u8");
        var audio = OurMediaPlaylist("ffmpeg_1.m3u8");
        File.WriteAllBytes(Path.Combine(_directory, "video.m3u8"), HlsMediaPlaylistWriter.Write(video));
        File.WriteAllBytes(Path.Combine(_directory, "audio.m3u8"), HlsMediaPlaylistWriter.Write(audio));
        var videoInit = File.ReadAllBytes(Path.Combine(_directory, video.Segments[0].MapUri));
        var audioInit = File.ReadAllBytes(Path.Combine(_directory, audio.Segments[0].MapUri));
        Assert.True(AvcCodecString.TryCreate(Mp4Boxes.Payload(videoInit, "avcC"), out var videoCodec, out _));
        Assert.True(AacCodecString.TryCreate(Mp4Boxes.AudioSpecificConfig(Mp4Boxes.Payload(audioInit, "esds")), out var audioCodec, out _));
        File.WriteAllBytes(Path.Combine(_directory, "ours.m3u8"), HlsMultivariantPlaylistWriter.Write(
            [new HlsVariant("video.m3u8", 400_000, $"{videoCodec},{audioCodec}") { Width = 320, Height = 240, FrameRateNumerator = 25, AudioGroupId = "aud" }],
            [new HlsAudioRendition("aud", "audio", "audio.m3u8") { Channels = 2 }]));

        var ours = Probe("ours.m3u8");
        // ffmpeg's multivariant playlist adds an audio-only variant, so it reads the audio playlist twice.
        var theirs = Probe("ffmpeg.m3u8").Distinct();
        Assert.Equal(["audio aac 48000", "video h264 320x240"], ours.Select(s => s.Stream));
        Assert.Equal(theirs, ours);
        Assert.Equal(100, ours[1].Packets);

        var (decode, stdout, errors) = ExternalTool.Run("ffmpeg", "-v", "error", "-i", Path.Combine(_directory, "ours.m3u8"), "-f", "null", "-");
        Assert.Equal(0, decode);
        Assert.Equal("", stdout + errors);
    }

    // ffmpeg's media playlist turned into ours: the same segments, as a low-latency playlist whose
    // last segments are listed as parts too (one part each, the segment itself), ended.
    private HlsMediaPlaylist OurMediaPlaylist(string ffmpegPlaylist)
    {
        var segments = new List<HlsMediaSegment>();
        string? map = null;
        long duration = 0;
        foreach (var line in File.ReadAllLines(Path.Combine(_directory, ffmpegPlaylist)))
        {
            if (line.StartsWith("#EXT-X-MAP:URI=\"", StringComparison.Ordinal))
            {
                map = line["#EXT-X-MAP:URI=\"".Length..^1];
            }
            else if (line.StartsWith("#EXTINF:", StringComparison.Ordinal))
            {
                duration = (long)Math.Round(double.Parse(line["#EXTINF:".Length..^1], CultureInfo.InvariantCulture) * 1000);
            }
            else if (line.Length > 0 && line[0] != '#')
            {
                var number = segments.Count;
                segments.Add(new HlsMediaSegment(number, duration, HlsPlaylists.Start.AddSeconds(number), line, map!)
                {
                    Parts = [new HlsPartialSegment(duration, line, Independent: true)],
                });
            }
        }
        Assert.True(segments.Count >= 4, $"{ffmpegPlaylist} lists {segments.Count} segments");
        return new HlsMediaPlaylist(1000, 1000, segments) { Ended = true };
    }

    private List<(string Stream, int Packets)> Probe(string playlist)
    {
        var (exitCode, stdout, stderr) = ExternalTool.Run("ffprobe", "-v", "error", "-count_packets", "-show_streams", "-of", "json", Path.Combine(_directory, playlist));
        Assert.True(exitCode == 0, stderr);
        Assert.Equal("", stderr);
        using var json = JsonDocument.Parse(stdout);
        return [.. json.RootElement.GetProperty("streams").EnumerateArray().Select(s =>
        {
            var type = s.GetProperty("codec_type").GetString();
            var detail = type == "video"
                ? $"{s.GetProperty("width").GetInt32()}x{s.GetProperty("height").GetInt32()}"
                : s.GetProperty("sample_rate").GetString();
            return ($"{type} {s.GetProperty("codec_name").GetString()} {detail}", int.Parse(s.GetProperty("nb_read_packets").GetString()!, CultureInfo.InvariantCulture));
        }).OrderBy(s => s.Item1, StringComparer.Ordinal)];
    }
}
