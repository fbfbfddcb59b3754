using Appliance.Codecs.Aac;
using Appliance.Codecs.Avc;
using Appliance.Codecs.Flv;
using Appliance.Codecs.Hevc;
using Appliance.Streaming.Ingest;
using Appliance.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Appliance.Streaming.Tests.Ingest;

/// <summary>ffmpeg's MPEG-TS (H.264 with B-frames, AAC) into a stream, read back as the FLV a viewer gets.</summary>
public sealed class TsIngestTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("ts-ingest-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Ffmpegs_transport_stream_becomes_the_frames_an_rtmp_publisher_would_send()
    {
        var tags = Ingest(Encode(offsetSeconds: 0), out var ingest, out _);

        var video = tags.Where(t => t.Type == FlvTagType.Video).ToList();
        var audio = tags.Where(t => t.Type == FlvTagType.Audio).ToList();
        Assert.True(StreamHarness.IsSequenceHeader(video[0]), "the first video tag is the AVC sequence header");
        Assert.True(AvcDecoderConfigurationRecord.TryParse(video[0].Payload.AsSpan(5), out var avc));
        Assert.True(H264Sps.TryParseResolution(avc!.Sps[0], out var width, out var height));
        Assert.Equal((320, 240), (width, height));
        Assert.True(StreamHarness.IsSequenceHeader(audio[0]), "the first audio tag is the AAC sequence header");
        Assert.True(AudioSpecificConfig.TryParse(audio[0].Payload.AsSpan(2), out var aac));
        Assert.Equal((2, 48000, 2), (aac.ObjectType, aac.SampleRate, aac.Channels));

        var frames = video.Skip(1).ToList();
        Assert.Equal(75, frames.Count);
        Assert.True(StreamHarness.IsKeyFrame(frames[0]), "the stream starts at a keyframe");
        Assert.Equal(3, frames.Count(StreamHarness.IsKeyFrame));
        Assert.All(frames.Zip(frames.Skip(1)), p => Assert.Equal(40u, p.Second.Timestamp - p.First.Timestamp));
        // B-frames: some frames are shown later than decoded, which the composition time carries.
        Assert.Contains(frames, f => (f.Payload[2] << 16 | f.Payload[3] << 8 | f.Payload[4]) > 0);
        // Length-prefixed NAL units filling each body exactly, no Annex-B start code left.
        Assert.All(frames, f => Assert.Equal(f.Payload.Length, 5 + NalLengths(f.Payload.AsSpan(5))));
        var raw = audio.Skip(1).ToList();
        Assert.InRange(raw.Count, 138, 144);
        Assert.All(raw.Zip(raw.Skip(1)), p => Assert.InRange(p.Second.Timestamp - p.First.Timestamp, 21u, 22u));
        Assert.Equal(0, ingest.Demuxer.DroppedUnits);
    }

    [Fact]
    public void H265_in_a_transport_stream_becomes_enhanced_rtmp_hevc_with_an_hvcc_record_from_its_parameter_sets()
    {
        var tags = Ingest(Encode(offsetSeconds: 0, video: "libx265"), out var ingest, out _);

        var video = tags.Where(t => t.Type == FlvTagType.Video).ToList();
        Assert.True(VideoTagInfo.TryParse(video[0].Payload, out var header));
        Assert.Equal((VideoCodec.Hevc, VideoPacketKind.SequenceHeader), (header.Codec, header.Kind));
        var record = video[0].Payload.AsSpan(header.HeaderLength);
        Assert.True(HevcDecoderConfigurationRecord.TryParseResolution(record, out var width, out var height));
        Assert.Equal((320, 240), (width, height));
        Assert.True(HevcDecoderConfigurationRecord.TryFindNalUnit(record, HevcDecoderConfigurationRecord.NalTypeVps, out _));
        Assert.True(HevcDecoderConfigurationRecord.TryFindNalUnit(record, HevcDecoderConfigurationRecord.NalTypePps, out _));
        // Main profile, 8-bit 4:2:0, 4-byte NAL lengths: what the codecs string and every muxer read from it.
        Assert.True(HevcCodecString.TryCreate(record, out var codecs, out var problem), problem);
        Assert.StartsWith("hvc1.1.", codecs, StringComparison.Ordinal);
        Assert.Equal((0xFD, 0xF8, 0xF8, 3), ((int)record[16], (int)record[17], (int)record[18], record[21] & 3));

        var frames = video.Skip(1).ToList();
        Assert.Equal(75, frames.Count);
        Assert.All(frames, f =>
        {
            Assert.True(VideoTagInfo.TryParse(f.Payload, out var info));
            Assert.Equal((VideoCodec.Hevc, VideoPacketKind.CodedFrames), (info.Codec, info.Kind));
            Assert.Equal(f.Payload.Length, info.HeaderLength + NalLengths(f.Payload.AsSpan(info.HeaderLength)));
        });
        static bool Key(ParsedTag tag) => VideoTagInfo.TryParse(tag.Payload, out var info) && info.IsKeyFrame;
        Assert.True(Key(frames[0]), "the stream starts at a keyframe");
        Assert.Equal(3, frames.Count(Key));
        Assert.All(frames.Zip(frames.Skip(1)), p => Assert.Equal(40u, p.Second.Timestamp - p.First.Timestamp));
        Assert.Equal(0, ingest.Demuxer.DroppedUnits);
    }

    [Fact]
    public void The_33_bit_clock_is_extended_across_its_wrap()
    {
        // 95443.7 s is 2^33 ticks of 90 kHz; ffmpeg starts 1.4 s after the offset, so this file's PTS wrap to 0 1.3 s in.
        var tags = Ingest(Encode(offsetSeconds: 95441), out _, out _);

        var frames = tags.Where(t => t.Type == FlvTagType.Video).Skip(1).ToList();
        Assert.Equal(75, frames.Count);
        Assert.All(frames.Zip(frames.Skip(1)), p => Assert.Equal(40u, p.Second.Timestamp - p.First.Timestamp));
        Assert.True(frames[0].Timestamp < 95_443_717u, $"first frame at {frames[0].Timestamp} ms, before the wrap");
        Assert.True(frames[^1].Timestamp > 95_443_717u, $"last frame at {frames[^1].Timestamp} ms, past the wrap");
    }

    [Fact]
    public void A_minute_of_video_without_a_keyframe_is_said_once_and_the_frames_still_flow()
    {
        // One IDR, then 70 s of media (faster than real time) with none: x264 with an infinite keyframe interval.
        var path = Path.Combine(_directory, "nokey.ts");
        var (exitCode, _, stderr) = ExternalTool.Run("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=96x64:rate=5:duration=70",
            "-c:v", "libx264", "-preset", "ultrafast", "-x264-params", "keyint=infinite:scenecut=0", "-f", "mpegts", path);
        Assert.True(exitCode == 0, $"ffmpeg failed: {stderr}");
        using var logs = new LogCollector();
        var harness = new StreamHarness();
        var ingest = new TsIngest(harness.Stream, harness.Source, logs.CreateLogger("ingest"));

        var ts = File.ReadAllBytes(path);
        for (var offset = 0; offset < ts.Length; offset += 1316)
        {
            ingest.Write(ts.AsSpan(offset, Math.Min(1316, ts.Length - offset)));
        }
        ingest.Flush();

        // The sequence header and 350 pictures: nothing is held back for want of a keyframe.
        Assert.Equal(351, ingest.Frames);
        var warnings = logs.Lines.Where(l => l.Message.Contains("no video keyframe for 60 s of media", StringComparison.Ordinal)).ToList();
        Assert.Single(warnings);
    }

    [Fact]
    public void Bytes_that_are_not_a_transport_stream_are_refused()
    {
        var h = new StreamHarness();
        using var loggers = new LoggerFactory();
        var ingest = new TsIngest(h.Stream, h.Source, loggers.CreateLogger("ingest"));

        Assert.Throws<Codecs.MpegTs.TsFormatException>(() => ingest.Write(new byte[64 * 1024]));
        Assert.Equal(0, h.Stream.Stats.Frames);
    }

    private static int NalLengths(ReadOnlySpan<byte> body)
    {
        var total = 0;
        while (body.Length >= 4)
        {
            var length = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(body);
            Assert.InRange(length, 1, body.Length - 4);
            Assert.False(body.Slice(4, Math.Min(4, length)).SequenceEqual(new byte[] { 0, 0, 0, 1 }.AsSpan(0, Math.Min(4, length))));
            total += 4 + length;
            body = body[(4 + length)..];
        }
        return total;
    }

    private byte[] Encode(double offsetSeconds, string video = "libx264")
    {
        var path = Path.Combine(_directory, $"in-{offsetSeconds}-{video}.ts");
        var (exitCode, _, stderr) = ExternalTool.Run("ffmpeg", "-v", "error", "-y",
            "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=3", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=3",
            "-c:v", video, "-preset", "ultrafast", "-bf", "2", "-g", "25", "-keyint_min", "25", "-sc_threshold", "0",
            "-x265-params", "log-level=error:keyint=25:min-keyint=25:scenecut=0",
            "-c:a", "aac", "-ac", "2", "-output_ts_offset", offsetSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "-f", "mpegts", path);
        Assert.True(exitCode == 0, $"ffmpeg failed: {stderr}");
        return File.ReadAllBytes(path);
    }

    private static List<ParsedTag> Ingest(byte[] ts, out TsIngest ingest, out StreamHarness harness)
    {
        harness = new StreamHarness(app => app.JoinBufferMs = 0);
        using var loggers = new LoggerFactory();
        ingest = new TsIngest(harness.Stream, harness.Source, loggers.CreateLogger("ingest"));
        var subscription = harness.Subscribe();
        // As SRT delivers it: 1316-byte messages.
        for (var offset = 0; offset < ts.Length; offset += 1316)
        {
            ingest.Write(ts.AsSpan(offset, Math.Min(1316, ts.Length - offset)));
        }
        ingest.Flush();
        var tags = new List<ParsedTag>();
        for (var i = 0; i < 100; i++)
        {
            var (_, batch) = harness.Collect(subscription);
            if (batch.Count == 0)
            {
                break;
            }
            tags.AddRange(batch);
        }
        return tags;
    }
}
