using System.Globalization;
using System.Text.Json;
using Appliance.Codecs.Fmp4;

namespace Appliance.Codecs.Tests.Fmp4;

/// <summary>
/// A real client reads what we mux: ffmpeg makes a stream, our FLV (or Annex-B) code reads it,
/// the muxer writes init + fragments to a file, and ffprobe/ffmpeg must report the codec, size
/// and every frame, and decode it without a message. Without ffmpeg these tests fail, not skip.
/// </summary>
public sealed class Fmp4FfprobeTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("appliance-fmp4-").FullName;

    public Fmp4FfprobeTests()
    {
        Assert.True(ExternalTool.IsInstalled("ffmpeg") && ExternalTool.IsInstalled("ffprobe"),
            "ffmpeg and ffprobe must be on the PATH: these tests check our fMP4 with them and fail rather than pass unchecked");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void FfprobeReadsH264AndAacTracksMuxedFromAnFfmpegFlv()
    {
        var flvPath = Path.Combine(_directory, "in.flv");
        Ffmpeg("-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30", "-f", "lavfi", "-i", "sine=sample_rate=44100", "-t", "2",
            "-c:v", "libx264", "-g", "30", "-c:a", "aac", "-ac", "2", "-f", "flv", flvPath);
        var (video, audio) = Fmp4Media.ReadFlv(File.ReadAllBytes(flvPath));
        Assert.Equal(60, video.Frames.Count);
        Assert.Contains(video.Frames, f => f.CompositionOffset != 0);  // libx264 B-frames: trun v1 is exercised
        Assert.True(Fmp4Track.TryCreateAvc(1, video.Configuration, out var videoTrack, out var problem), problem);
        Assert.True(Fmp4Track.TryCreateAac(2, audio.Configuration, out var audioTrack, out problem), problem);

        // Video starts 2^33 ticks (26.5 hours) in, so the client must read tfdt's 64 bits.
        const long videoBase = 1L << 33;
        var videoPath = Write("video.mp4", [videoTrack], (videoTrack, video.Frames, 6, videoBase));
        var audioPath = Write("audio.mp4", [audioTrack], (audioTrack, audio.Frames, 10, 0));

        var videoProbe = Probe(videoPath);
        var videoStream = Assert.Single(videoProbe.Streams);
        Assert.Equal(("h264", 640, 360), (videoStream.Codec, videoStream.Width, videoStream.Height));
        Assert.Equal(60, videoStream.FramesRead);
        Assert.Equal(video.Frames.Select(f => videoBase + f.DecodeTime), videoProbe.Packets.Select(p => p.Dts));
        Assert.Equal(video.Frames.Select(f => videoBase + f.DecodeTime + f.CompositionOffset), videoProbe.Packets.Select(p => p.Pts));
        Assert.Equal([0, 30], videoProbe.Packets.Select((p, i) => (p, i)).Where(x => x.p.IsKey).Select(x => x.i));
        Assert.Equal(video.Frames.Select(f => f.Payload.Length), videoProbe.Packets.Select(p => p.Size));
        AssertDecodesCleanly(videoPath);

        var audioProbe = Probe(audioPath);
        var audioStream = Assert.Single(audioProbe.Streams);
        Assert.Equal(("aac", 44100, 2), (audioStream.Codec, audioStream.SampleRate, audioStream.Channels));
        Assert.Equal(audio.Frames.Count, audioStream.FramesRead);
        Assert.Equal(audio.Frames.Select(f => f.DecodeTime), audioProbe.Packets.Select(p => p.Pts));
        AssertDecodesCleanly(audioPath);
    }

    [Fact]
    public void FfprobeReadsATwoTrackInitWithBothTracksFragments()
    {
        var flvPath = Path.Combine(_directory, "in.flv");
        Ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-f", "lavfi", "-i", "sine=sample_rate=48000", "-t", "1",
            "-c:v", "libx264", "-g", "25", "-c:a", "aac", "-f", "flv", flvPath);
        var (video, audio) = Fmp4Media.ReadFlv(File.ReadAllBytes(flvPath));
        Assert.True(Fmp4Track.TryCreateAvc(1, video.Configuration, out var videoTrack, out _));
        Assert.True(Fmp4Track.TryCreateAac(2, audio.Configuration, out var audioTrack, out _));

        var path = Write("muxed.mp4", [videoTrack, audioTrack], (videoTrack, video.Frames, 5, 0), (audioTrack, audio.Frames, 8, 0));

        var probe = Probe(path);
        Assert.Equal([("h264", 25), ("aac", audio.Frames.Count)], probe.Streams.Select(s => (s.Codec, s.FramesRead)));
        Assert.Equal((320, 240, 48000, 1), (probe.Streams[0].Width, probe.Streams[0].Height, probe.Streams[1].SampleRate, probe.Streams[1].Channels));
        AssertDecodesCleanly(path);
    }

    [Fact]
    public void FfprobeReadsHevcWithTheHvcCFfmpegWrote()
    {
        // ffmpeg 5.1 cannot put HEVC in FLV, so the record an encoder would send comes from
        // ffmpeg's own mp4 muxer, and the pictures from the raw stream, split at their AUDs.
        var rawPath = Path.Combine(_directory, "in.hevc");
        Ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-t", "1", "-c:v", "libx265",
            "-x265-params", "aud=1:bframes=0:keyint=10:log-level=error", "-f", "hevc", rawPath);
        var referencePath = Path.Combine(_directory, "reference.mp4");
        Ffmpeg("-i", rawPath, "-c", "copy", "-f", "mp4", referencePath);
        var referenceMoov = Assert.Single(Boxes.Parse(File.ReadAllBytes(referencePath)), b => b.Type == "moov");
        var record = referenceMoov.Find("trak/mdia/minf/stbl/stsd/hev1/hvcC").Body.ToArray();
        var frames = Fmp4Media.HevcFrames(File.ReadAllBytes(rawPath));
        Assert.Equal(25, frames.Count);
        Assert.True(Fmp4Track.TryCreateHevc(1, record, out var track, out var problem), problem);

        var path = Write("hevc.mp4", [track], (track, frames, 4, 0));

        var probe = Probe(path);
        var stream = Assert.Single(probe.Streams);
        Assert.Equal(("hevc", "hvc1", 320, 240, 25), (stream.Codec, stream.Tag, stream.Width, stream.Height, stream.FramesRead));
        Assert.Equal([0, 10, 20], probe.Packets.Select((p, i) => (p, i)).Where(x => x.p.IsKey).Select(x => x.i));
        AssertDecodesCleanly(path);
    }

    // init + every track's fragments (tracks one after the other), sequence numbers counting up across the file.
    private string Write(string name, Fmp4Track[] initTracks, params (Fmp4Track Track, List<MediaFrame> Frames, int PerFragment, long DecodeTimeBase)[] tracks)
    {
        var path = Path.Combine(_directory, name);
        using var file = File.Create(path);
        file.Write(Fmp4InitSegment.Create(initTracks));
        uint sequenceNumber = 1;
        foreach (var (track, frames, perFragment, decodeTimeBase) in tracks)
        {
            foreach (var fragment in Fmp4Media.Fragments(track, frames, perFragment, ref sequenceNumber, (ulong)decodeTimeBase))
            {
                file.Write(fragment);
            }
        }
        return path;
    }

    private static void Ffmpeg(params string[] arguments)
    {
        var (exitCode, _, stderr) = ExternalTool.Run("ffmpeg", ["-v", "error", "-y", .. arguments]);
        Assert.True(exitCode == 0, $"ffmpeg failed: {stderr}");
    }

    private static void AssertDecodesCleanly(string path)
    {
        var (exitCode, stdout, stderr) = ExternalTool.Run("ffmpeg", "-v", "error", "-i", path, "-f", "null", "-");
        Assert.Equal(0, exitCode);
        Assert.Equal(string.Empty, stdout + stderr);
    }

    private sealed record StreamInfo(string Codec, string Tag, int Width, int Height, int SampleRate, int Channels, int FramesRead);

    private sealed record PacketInfo(long Pts, long Dts, int Size, bool IsKey);

    private static (List<StreamInfo> Streams, List<PacketInfo> Packets) Probe(string path)
    {
        var (exitCode, stdout, stderr) = ExternalTool.Run("ffprobe", "-v", "error", "-count_frames", "-show_streams", "-show_packets", "-of", "json", path);
        Assert.True(exitCode == 0, $"ffprobe failed: {stderr}");
        Assert.Equal(string.Empty, stderr);
        using var json = JsonDocument.Parse(stdout);
        var streams = json.RootElement.GetProperty("streams").EnumerateArray().Select(s => new StreamInfo(
            s.GetProperty("codec_name").GetString()!,
            s.GetProperty("codec_tag_string").GetString()!,
            s.TryGetProperty("width", out var w) ? w.GetInt32() : 0,
            s.TryGetProperty("height", out var h) ? h.GetInt32() : 0,
            s.TryGetProperty("sample_rate", out var r) ? int.Parse(r.GetString()!, CultureInfo.InvariantCulture) : 0,
            s.TryGetProperty("channels", out var c) ? c.GetInt32() : 0,
            int.Parse(s.GetProperty("nb_read_frames").GetString()!, CultureInfo.InvariantCulture))).ToList();
        var packets = json.RootElement.GetProperty("packets").EnumerateArray().Select(p => new PacketInfo(
            p.GetProperty("pts").GetInt64(),
            p.GetProperty("dts").GetInt64(),
            int.Parse(p.GetProperty("size").GetString()!, CultureInfo.InvariantCulture),
            p.GetProperty("flags").GetString()!.StartsWith('K'))).ToList();
        return (streams, packets);
    }
}
