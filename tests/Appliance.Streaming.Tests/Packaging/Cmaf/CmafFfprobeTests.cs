using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Appliance.Codecs.Dash;
using Appliance.Codecs.Flv;
using Appliance.Codecs.Fmp4;
using Appliance.Codecs.Hls;
using Appliance.Streaming.Ingest;
using Appliance.Streaming.Media;
using Appliance.Streaming.Packaging.Cmaf;
using Appliance.Streaming.Streams;

namespace Appliance.Streaming.Tests.Packaging.Cmaf;

/// <summary>
/// Real clients read what the packager makes: ffmpeg encodes 10 s into FLV, our FLV reader feeds
/// it to a stream an hour into its timeline, and ffprobe must count every frame at its source
/// timestamp in init + segments, and read the streams through our playlists and MPD. Without
/// ffmpeg these tests fail, not skip.
/// </summary>
public sealed class CmafFfprobeTests : IDisposable
{
    private const long HourIn = 3_600_000;
    private readonly string _directory = Directory.CreateTempSubdirectory("appliance-cmaf-").FullName;

    public CmafFfprobeTests()
    {
        Assert.True(ExternalTool.IsInstalled("ffmpeg") && ExternalTool.IsInstalled("ffprobe"),
            "ffmpeg and ffprobe must be on the PATH: these tests check our CMAF with them and fail rather than pass unchecked");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Ffprobe_counts_every_frame_of_a_packaged_stream_at_its_source_timestamp()
    {
        using var hls = new HlsHarness(app => app.Hls.WindowSegments = 10);
        var cmaf = hls.Stream.RequestCmaf()!;
        var (video, audio) = PublishFlv(hls, Encode());
        hls.Stream.End();

        var videoTrack = CmafFiles.Track(cmaf, Fmp4TrackKind.Video);
        var audioTrack = CmafFiles.Track(cmaf, Fmp4TrackKind.Audio);
        Assert.Equal(HourIn / 2000, videoTrack.Segments[0].Number);
        var videoFile = Concatenate("video.mp4", cmaf, videoTrack);
        var audioFile = Concatenate("audio.mp4", cmaf, audioTrack);

        var (videoStream, videoPackets) = Probe(videoFile);
        Assert.Equal(("h264", 320, 240, video.Count), (videoStream.Codec, videoStream.Width, videoStream.Height, videoStream.Frames));
        Assert.Equal(video.Select(f => f.Ms * 90), videoPackets.Select(p => p.Dts));
        Assert.Equal(video.Select(f => (f.Ms + f.CompositionMs) * 90), videoPackets.Select(p => p.Pts));
        Assert.Contains(video, f => f.CompositionMs != 0);
        Assert.Equal(video.Select(f => f.Key), videoPackets.Select(p => p.Key));
        AssertDecodesCleanly(videoFile);

        var (audioStream, audioPackets) = Probe(audioFile);
        Assert.Equal(("aac", 44_100), (audioStream.Codec, audioStream.SampleRate));
        // Audio before the first video keyframe has no segment to go in: at most the first frame.
        var packaged = audio.SkipWhile(ms => ms < audioTrack.Segments[0].StartMs).ToList();
        Assert.InRange(audio.Count - packaged.Count, 0, 1);
        Assert.Equal(packaged.Select(ms => ms * 44_100 / 1000), audioPackets.Select(p => p.Pts));
        AssertDecodesCleanly(audioFile);
    }

    [Fact]
    public void Ffprobe_reads_the_streams_through_our_playlists_and_mpd()
    {
        using var hls = new HlsHarness(app => app.Hls.WindowSegments = 10);
        var cmaf = hls.Stream.RequestCmaf("http://127.0.0.1:1/api/time")!;
        var (video, _) = PublishFlv(hls, Encode());
        hls.Stream.End();
        var snapshot = cmaf.Snapshot;
        var files = Directory.CreateDirectory(Path.Combine(_directory, "cam")).FullName;
        foreach (var track in new[] { snapshot.Video!, snapshot.Audio! })
        {
            foreach (var segment in track.Playlist.Segments)
            {
                File.WriteAllBytes(Path.Combine(files, segment.Uri), CmafFiles.Bytes(cmaf, segment.Uri));
                File.WriteAllBytes(Path.Combine(files, segment.MapUri), CmafFiles.Bytes(cmaf, segment.MapUri));
            }
            File.WriteAllBytes(Path.Combine(files, CmafName.Playlist(track.Kind, lowLatency: false)), HlsMediaPlaylistWriter.Write(track.Playlist));
            File.WriteAllBytes(Path.Combine(files, CmafName.Playlist(track.Kind, lowLatency: true)), HlsMediaPlaylistWriter.Write(track.LowLatencyPlaylist));
        }
        File.WriteAllBytes(Path.Combine(files, CmafName.Multivariant), HlsMultivariantPlaylistWriter.Write(snapshot.Multivariant.Variants, snapshot.Multivariant.Audio));
        File.WriteAllBytes(Path.Combine(files, CmafName.LowLatencyMultivariant),
            HlsMultivariantPlaylistWriter.Write(snapshot.LowLatencyMultivariant.Variants, snapshot.LowLatencyMultivariant.Audio));
        File.WriteAllBytes(Path.Combine(_directory, "cam.mpd"), DashManifestWriter.Write(snapshot.Dash!));

        foreach (var multivariant in new[] { CmafName.Multivariant, CmafName.LowLatencyMultivariant })
        {
            var streams = ProbeStreams(Path.Combine(files, multivariant), countPackets: true);
            Assert.Equal([("audio aac", streams[0].Packets), ("video h264", video.Count)], streams);
            AssertDecodesCleanly(Path.Combine(files, multivariant));
        }
        Assert.Equal(["audio aac", "video h264"], ProbeStreams(Path.Combine(_directory, "cam.mpd"), countPackets: false).Select(s => s.Stream));
    }

    private string Encode()
    {
        var path = Path.Combine(_directory, "in.flv");
        var (exitCode, _, stderr) = ExternalTool.Run("ffmpeg", "-v", "error", "-y",
            "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-f", "lavfi", "-i", "sine=sample_rate=44100",
            "-t", "10", "-c:v", "libx264", "-g", "50", "-bf", "2", "-c:a", "aac", "-ac", "2", "-f", "flv", path);
        Assert.True(exitCode == 0, $"ffmpeg failed: {stderr}");
        return path;
    }

    /// <summary>Publishes the FLV's tags an hour into the stream's timeline; returns the coded frames as published.</summary>
    private static (List<(long Ms, int CompositionMs, bool Key)> Video, List<long> Audio) PublishFlv(HlsHarness hls, string path)
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(File.ReadAllBytes(path)));
        var flv = new FlvStreamReader();
        var video = new List<(long, int, bool)>();
        var audio = new List<long>();
        var stats = new StreamStats();
        while (flv.TryReadTag(ref reader, out var tag))
        {
            var ms = HourIn + tag.Timestamp;
            var span = tag.Payload.Span;
            FrameFlags flags;
            FrameKind kind;
            if (tag.Type == FlvTagType.Video && FrameClassifier.TryClassifyVideo(span, stats, out flags))
            {
                kind = FrameKind.Video;
                // ffmpeg ends with an end-of-sequence tag: no frame.
                if (VideoTagInfo.TryParse(span, out var info) && info.Kind == VideoPacketKind.CodedFrames)
                {
                    video.Add((ms, info.CompositionTimeMs, info.IsKeyFrame));
                }
            }
            else if (tag.Type == FlvTagType.Audio && FrameClassifier.TryClassifyAudio(span, stats, out flags))
            {
                kind = FrameKind.Audio;
                if ((flags & FrameFlags.SequenceHeader) == 0)
                {
                    audio.Add(ms);
                }
            }
            else
            {
                tag.Payload.Release();
                continue;
            }
            hls.Publish(MediaFrame.Create(kind, ms, flags, tag.Payload));
        }
        Assert.Equal(250, video.Count);
        return (video, audio);
    }

    private string Concatenate(string name, CmafPackager cmaf, CmafTrackSnapshot track)
    {
        var path = Path.Combine(_directory, name);
        using var file = File.Create(path);
        file.Write(CmafFiles.Bytes(cmaf, track.Segments[0].Init.Name));
        foreach (var segment in track.Segments)
        {
            file.Write(CmafFiles.Segment(cmaf, track.Kind, segment.Number));
        }
        return path;
    }

    private static void AssertDecodesCleanly(string path)
    {
        var (exitCode, stdout, stderr) = ExternalTool.Run("ffmpeg", "-v", "error", "-i", path, "-f", "null", "-");
        Assert.Equal(0, exitCode);
        Assert.Equal(string.Empty, stdout + stderr);
    }

    private sealed record StreamInfo(string Codec, int Width, int Height, int SampleRate, int Frames);

    private sealed record PacketInfo(long Pts, long Dts, bool Key);

    private static (StreamInfo Stream, List<PacketInfo> Packets) Probe(string path)
    {
        var (exitCode, stdout, stderr) = ExternalTool.Run("ffprobe", "-v", "error", "-count_frames", "-show_streams", "-show_packets", "-of", "json", path);
        Assert.True(exitCode == 0, $"ffprobe failed: {stderr}");
        Assert.Equal(string.Empty, stderr);
        using var json = JsonDocument.Parse(stdout);
        var s = Assert.Single(json.RootElement.GetProperty("streams").EnumerateArray().ToList());
        var stream = new StreamInfo(
            s.GetProperty("codec_name").GetString()!,
            s.TryGetProperty("width", out var w) ? w.GetInt32() : 0,
            s.TryGetProperty("height", out var h) ? h.GetInt32() : 0,
            s.TryGetProperty("sample_rate", out var r) ? int.Parse(r.GetString()!, CultureInfo.InvariantCulture) : 0,
            int.Parse(s.GetProperty("nb_read_frames").GetString()!, CultureInfo.InvariantCulture));
        var packets = json.RootElement.GetProperty("packets").EnumerateArray().Select(p => new PacketInfo(
            p.GetProperty("pts").GetInt64(), p.GetProperty("dts").GetInt64(), p.GetProperty("flags").GetString()!.StartsWith('K'))).ToList();
        return (stream, packets);
    }

    private static List<(string Stream, int Packets)> ProbeStreams(string path, bool countPackets)
    {
        string[] arguments = countPackets
            ? ["-v", "error", "-count_packets", "-show_streams", "-of", "json", path]
            : ["-v", "error", "-show_streams", "-of", "json", path];
        var (exitCode, stdout, stderr) = ExternalTool.Run("ffprobe", arguments);
        Assert.True(exitCode == 0, $"ffprobe {path} failed: {stderr}");
        Assert.Equal(string.Empty, stderr);
        using var json = JsonDocument.Parse(stdout);
        return [.. json.RootElement.GetProperty("streams").EnumerateArray()
            .Select(s => ($"{s.GetProperty("codec_type").GetString()} {s.GetProperty("codec_name").GetString()}",
                countPackets ? int.Parse(s.GetProperty("nb_read_packets").GetString()!, CultureInfo.InvariantCulture) : 0))
            .OrderBy(s => s.Item1, StringComparer.Ordinal)];
    }
}
