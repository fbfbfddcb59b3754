using System.Buffers;
using System.Text.Json;
using Appliance.Codecs.Flv;
using Appliance.Codecs.MpegTs;

namespace Appliance.Codecs.Tests.MpegTs;

/// <summary>
/// Our muxer's output checked by ffprobe and ffmpeg, and ffmpeg's output read by our demuxer. The
/// media come from ffmpeg itself (lavfi test sources), in a temporary directory.
/// </summary>
public sealed class FfmpegInteropTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("appliance-mpegts-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [FfmpegFact]
    public void DemuxesAStreamFfmpegWrote()
    {
        var path = Path.Combine(_directory, "x.ts");
        Ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-f", "lavfi", "-i", "sine", "-t", "1",
            "-c:v", "libx264", "-c:a", "aac", "-f", "mpegts", path);

        var demuxer = new TsDemuxer();
        var units = TsBytes.Demux(File.ReadAllBytes(path), demuxer);
        Assert.True(demuxer.HasPat);
        Assert.True(demuxer.HasPmt);
        Assert.Equal([TsStreamType.H264, TsStreamType.AacAdts], demuxer.Streams.Select(s => s.StreamType));
        TsDemuxerTests.AssertNoErrors(demuxer);

        var video = units.Where(u => u.StreamType == TsStreamType.H264).ToList();
        var audio = units.Where(u => u.StreamType == TsStreamType.AacAdts).ToList();
        Assert.Equal(25, video.Count);
        Assert.True(video[0].IsKeyFrame);
        Assert.StartsWith("0000000109", Convert.ToHexString(video[0].Payload.Span[..5]));
        AssertIncreasing(video.Select(u => u.Dts));
        Assert.NotEmpty(audio);
        AssertIncreasing(audio.Select(u => u.Pts));
        Assert.All(audio, u => Assert.Equal(0xFFF, (u.Payload.Span[0] << 4) | (u.Payload.Span[1] >> 4)));
    }

    [FfmpegFact]
    public void FfprobeReadsWhatWeMuxFromAnFfmpegFlv()
    {
        var flvPath = Path.Combine(_directory, "in.flv");
        Ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-f", "lavfi", "-i", "sine=sample_rate=44100", "-t", "2",
            "-c:v", "libx264", "-g", "25", "-c:a", "aac", "-ac", "2", "-f", "flv", flvPath);

        var muxer = new TsMuxer();
        var output = new ArrayBufferWriter<byte>();
        var expectedVideoPts = new List<long>();
        var audioFrames = 0;
        foreach (var (type, timestamp, payload) in ReadFlv(File.ReadAllBytes(flvPath)))
        {
            if (type == FlvTagType.Video)
            {
                Assert.True(VideoTagInfo.TryParse(payload, out var info));
                var body = payload[info.HeaderLength..];
                if (info.Kind == VideoPacketKind.SequenceHeader)
                {
                    Assert.Equal(TsMuxStatus.Ok, muxer.SetAvcConfig(body));
                }
                else if (info.Kind == VideoPacketKind.CodedFrames)
                {
                    Write(output, muxer.MaxVideoLength(body.Length), span => muxer.WriteVideo(span, body, timestamp, info.CompositionTimeMs, info.IsKeyFrame));
                    expectedVideoPts.Add((timestamp + info.CompositionTimeMs) * 90L);
                }
            }
            else if (type == FlvTagType.Audio)
            {
                Assert.True(AudioTagInfo.TryParse(payload, out var info));
                var body = payload[info.HeaderLength..];
                if (info.IsSequenceHeader)
                {
                    Assert.Equal(TsMuxStatus.Ok, muxer.SetAacConfig(body));
                }
                else
                {
                    Write(output, muxer.MaxAudioLength(body.Length), span => muxer.WriteAudio(span, body, timestamp));
                    audioFrames++;
                }
            }
        }
        Assert.Equal(50, expectedVideoPts.Count);

        var tsPath = Path.Combine(_directory, "out.ts");
        File.WriteAllBytes(tsPath, output.WrittenSpan.ToArray());
        var probe = Probe(tsPath);
        Assert.Equal(("h264", 320, 240), (probe.VideoCodec, probe.Width, probe.Height));
        Assert.Equal(("aac", 2, 44100), (probe.AudioCodec, probe.Channels, probe.SampleRate));
        Assert.Equal(expectedVideoPts, probe.VideoPts);
        Assert.Equal(audioFrames, probe.AudioPackets);
        AssertDecodesCleanly(tsPath);
    }

    [FfmpegFact]
    public void FfprobeReadsHevcWeMuxWithParameterSetsFromTheRecord()
    {
        // Raw HEVC with an AUD per picture and no B-frames, turned into an hvcC and length-prefixed samples.
        var rawPath = Path.Combine(_directory, "in.hevc");
        Ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-t", "1", "-c:v", "libx265",
            "-x265-params", "aud=1:bframes=0:keyint=10:log-level=error", "-f", "hevc", rawPath);
        var (record, samples) = HevcSamples(File.ReadAllBytes(rawPath));

        var muxer = new TsMuxer();
        Assert.Equal(TsMuxStatus.Ok, muxer.SetHevcConfig(record));
        var output = new ArrayBufferWriter<byte>();
        for (var i = 0; i < samples.Count; i++)
        {
            var sample = samples[i];
            Write(output, muxer.MaxVideoLength(sample.Length), span => muxer.WriteVideo(span, sample, i * 40L, 0, isKeyFrame: false));
        }
        var tsPath = Path.Combine(_directory, "hevc.ts");
        File.WriteAllBytes(tsPath, output.WrittenSpan.ToArray());

        var probe = Probe(tsPath);
        Assert.Equal(("hevc", 320, 240), (probe.VideoCodec, probe.Width, probe.Height));
        Assert.Equal(25, probe.VideoPts.Count);
        Assert.Equal(3, probe.VideoKeyFrames);
        AssertDecodesCleanly(tsPath);
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

    private static void Write(ArrayBufferWriter<byte> output, int bound, Func<Span<byte>, TsMuxResult> write)
    {
        Assert.True(bound > 0);
        var result = write(output.GetSpan(bound)[..bound]);
        Assert.Equal(TsMuxStatus.Ok, result.Status);
        output.Advance(result.BytesWritten);
    }

    private static List<(FlvTagType Type, uint Timestamp, byte[] Payload)> ReadFlv(byte[] file)
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(file));
        var flv = new FlvStreamReader();
        var tags = new List<(FlvTagType, uint, byte[])>();
        while (flv.TryReadTag(ref reader, out var tag))
        {
            tags.Add((tag.Type, tag.Timestamp, tag.Payload.Span.ToArray()));
            tag.Payload.Release();
        }
        Assert.True(reader.End);
        return tags;
    }

    private sealed record ProbeResult(string VideoCodec, int Width, int Height, string? AudioCodec, int Channels, int SampleRate, List<long> VideoPts, int VideoKeyFrames, int AudioPackets);

    private static ProbeResult Probe(string path)
    {
        var (exitCode, stdout, stderr) = ExternalTool.Run("ffprobe", "-v", "error", "-show_streams", "-show_packets", "-of", "json", path);
        Assert.Equal(0, exitCode);
        Assert.Equal(string.Empty, stderr);
        using var json = JsonDocument.Parse(stdout);
        var streams = json.RootElement.GetProperty("streams").EnumerateArray().ToList();
        var video = streams.Single(s => s.GetProperty("codec_type").GetString() == "video");
        var audio = streams.SingleOrDefault(s => s.GetProperty("codec_type").GetString() == "audio");
        var hasAudio = audio.ValueKind == JsonValueKind.Object;
        var packets = json.RootElement.GetProperty("packets").EnumerateArray().ToList();
        var videoPackets = packets.Where(p => p.GetProperty("codec_type").GetString() == "video").ToList();
        return new ProbeResult(
            video.GetProperty("codec_name").GetString()!,
            video.GetProperty("width").GetInt32(),
            video.GetProperty("height").GetInt32(),
            hasAudio ? audio.GetProperty("codec_name").GetString() : null,
            hasAudio ? audio.GetProperty("channels").GetInt32() : 0,
            hasAudio ? int.Parse(audio.GetProperty("sample_rate").GetString()!, System.Globalization.CultureInfo.InvariantCulture) : 0,
            videoPackets.Select(p => p.GetProperty("pts").GetInt64()).ToList(),
            videoPackets.Count(p => p.GetProperty("flags").GetString()!.StartsWith('K')),
            packets.Count(p => p.GetProperty("codec_type").GetString() == "audio"));
    }

    // Splits a raw HEVC stream at its AUDs; VPS/SPS/PPS go into an hvcC (and out of the samples,
    // so the muxer must put them back before each IRAP picture).
    private static (byte[] Record, List<byte[]> Samples) HevcSamples(byte[] raw)
    {
        var parameterSets = new Dictionary<int, byte[]>();
        var samples = new List<byte[]>();
        List<byte>? current = null;
        var reader = new AnnexBReader(raw);
        while (reader.TryReadNext(out var nal))
        {
            var type = (nal[0] >> 1) & 0x3F;
            if (type == NalUnitTypes.H265Aud)
            {
                if (current is { Count: > 0 })
                {
                    samples.Add([.. current]);
                }
                current = [];
                continue;
            }
            if (type is NalUnitTypes.H265Vps or NalUnitTypes.H265Sps or NalUnitTypes.H265Pps)
            {
                parameterSets.TryAdd(type, nal.ToArray());
                continue;
            }
            current ??= [];
            current.AddRange([(byte)(nal.Length >> 24), (byte)(nal.Length >> 16), (byte)(nal.Length >> 8), (byte)nal.Length]);
            current.AddRange(nal);
        }
        if (current is { Count: > 0 })
        {
            samples.Add([.. current]);
        }

        // Only lengthSizeMinusOne (3) and the arrays matter to the muxer; the rest is left zero.
        var record = new List<byte>(new byte[22]) { 3 };
        record[0] = 1;
        record[21] = 0xFF;
        foreach (var type in new[] { NalUnitTypes.H265Vps, NalUnitTypes.H265Sps, NalUnitTypes.H265Pps })
        {
            var nal = parameterSets[type];
            record.AddRange([(byte)(0x80 | type), 0, 1, (byte)(nal.Length >> 8), (byte)nal.Length]);
            record.AddRange(nal);
        }
        return ([.. record], samples);
    }

    private static void AssertIncreasing(IEnumerable<long> values)
    {
        var list = values.ToList();
        for (var i = 1; i < list.Count; i++)
        {
            Assert.True(list[i] > list[i - 1], $"value {i} ({list[i]}) is not above {list[i - 1]}");
        }
    }
}
