using System.Buffers;
using System.Runtime.ExceptionServices;
using Appliance.Codecs.Amf0;
using Appliance.Codecs.Flv;
using Appliance.Codecs.MpegTs;
using Appliance.Core.Buffers;
using Appliance.Fuzz.Tests.Engine;
using Appliance.Fuzz.Tests.Seeds;

namespace Appliance.Fuzz.Tests.Targets;

/// <summary>
/// An FLV byte stream (an HTTP-FLV pull) through <see cref="FlvStreamReader"/>, every tag's header
/// through <see cref="VideoTagInfo"/> / <see cref="AudioTagInfo"/>, script tags through AMF0, and the
/// media on to the TS muxer the way TsPackager feeds it: the muxer must stay within the bound it
/// announces, and its output must demux without a single error. Driven whole and in pieces, which
/// must read the same tags. Refusal: <see cref="FlvFormatException"/>.
/// </summary>
public sealed class FlvTarget : FuzzTarget, IStructuredMutator
{
    public override string Name => "flv";

    public override IEnumerable<byte[]> Seeds()
    {
        yield return Media.Flv(Media.AvcAacTags());
        yield return Media.Flv(Media.EnhancedTags());
        yield return Media.Flv(Media.OtherTags(), hasAudio: true, hasVideo: true);
        // A header with a larger DataOffset, and a bare header.
        var header = new byte[FlvWriter.FileHeaderLength];
        FlvWriter.WriteFileHeader(header, hasAudio: false, hasVideo: true);
        yield return header;
        yield return Media.Concat([.. "FLV"u8, 0x01, 0x05, 0, 0, 0, 0x0D, 0xAA, 0xBB, 0xCC, 0xDD, 0, 0, 0, 0], Media.Flv(Media.AvcAacTags()).AsSpan(FlvWriter.FileHeaderLength).ToArray());
    }

    public override IReadOnlyList<byte[]> Dictionary { get; } =
    [
        "FLV"u8.ToArray(), [0x08], [0x09], [0x12], [0x17], [0x27], [0xAF], [0x90], [0x91], [0x97], [0x96], [0x1C], [0x00, 0x00, 0x09],
        "hvc1"u8.ToArray(), "avc1"u8.ToArray(), "av01"u8.ToArray(), "Opus"u8.ToArray(), "mp4a"u8.ToArray(), [0, 0, 0, 0x0B], [0, 0, 0, 1],
        [0x67], [0x68], [0x65], [0x40, 0x01], [0x42, 0x01], [0x44, 0x01], [0x26, 0x01],
    ];

    public byte[]? Mutate(byte[] input, Prng rng) => Structured.Flv(input, rng, Dictionary);

    public override bool IsExpected(Exception exception) => exception is FlvFormatException;

    public override void Run(ReadOnlySpan<byte> input)
    {
        var data = input.ToArray();
        var outstanding = BufferPool.Shared.Outstanding;
        var whole = new Transcript();
        var wholeError = Drive(data, [data.Length], whole, mux: true);
        var pieces = new Transcript();
        Drive(data, Pieces.Cuts(data), pieces, mux: false);
        // A small tag limit, so the size check meets small inputs.
        Drive(data, Pieces.Cuts(data), new Transcript(), mux: false, maxTagSize: 1000);
        FuzzInvariantException.Check(BufferPool.Shared.Outstanding == outstanding,
            $"buffer leak: {BufferPool.Shared.Outstanding - outstanding} pooled buffers not returned");
        Transcript.AssertSame(whole, pieces, "flv stream");
        if (wholeError is not null)
        {
            ExceptionDispatchInfo.Throw(wholeError);
        }
    }

    private static FlvFormatException? Drive(byte[] data, int[] arrivals, Transcript transcript, bool mux, int maxTagSize = 16 * 1024 * 1024)
    {
        var flv = new FlvStreamReader(maxTagSize);
        var packager = mux ? new Packager() : null;
        long consumed = 0;
        try
        {
            foreach (var available in arrivals)
            {
                var reader = new SequenceReader<byte>(Pieces.Sequence(data, (int)consumed, available, arrivals));
                try
                {
                    while (flv.TryReadTag(ref reader, out var tag))
                    {
                        try
                        {
                            FuzzInvariantException.Check(tag.Payload.Length <= maxTagSize, $"tag size: {tag.Payload.Length} bytes passed the {maxTagSize}-byte limit");
                            transcript.Add("tag", (long)tag.Type, tag.Timestamp);
                            transcript.Add("payload", tag.Payload.Span);
                            Inspect(tag, packager);
                        }
                        finally
                        {
                            tag.Payload.Release();
                        }
                    }
                }
                finally
                {
                    consumed += reader.Consumed;
                }
            }
            transcript.Add("header", flv.HeaderSeen ? 1 : 0);
            return null;
        }
        catch (FlvFormatException e)
        {
            transcript.Add("error", e.Message);
            return e;
        }
        finally
        {
            packager?.Finish();
        }
    }

    private static void Inspect(FlvTag tag, Packager? packager)
    {
        var payload = tag.Payload.Span;
        Feedback.Note("tag", (long)tag.Type);
        Feedback.NoteSize("size", payload.Length);
        switch (tag.Type)
        {
            case FlvTagType.Video:
                if (VideoTagInfo.TryParse(payload, out var video))
                {
                    FuzzInvariantException.Check(video.HeaderLength >= 1 && video.HeaderLength <= payload.Length,
                        $"VideoTagInfo.HeaderLength: {video.HeaderLength} outside a {payload.Length}-byte payload");
                    Feedback.Note("video", (long)video.Codec << 24 | (long)video.Kind << 16 | (long)video.FrameType << 8 | (long)video.HeaderLength);
                    packager?.Video(payload, video, tag.Timestamp);
                }
                else
                {
                    Feedback.Note("video refused", payload.IsEmpty ? -1 : payload[0]);
                }
                break;
            case FlvTagType.Audio:
                if (AudioTagInfo.TryParse(payload, out var audio))
                {
                    FuzzInvariantException.Check(audio.HeaderLength >= 1 && audio.HeaderLength <= payload.Length,
                        $"AudioTagInfo.HeaderLength: {audio.HeaderLength} outside a {payload.Length}-byte payload");
                    Feedback.Note("audio", (long)audio.Format << 8 | (audio.IsSequenceHeader ? 1L : 0));
                    packager?.Audio(payload, audio, tag.Timestamp);
                }
                else
                {
                    Feedback.Note("audio refused", payload.IsEmpty ? -1 : payload[0] >> 4);
                }
                break;
            default:
                try
                {
                    Feedback.NoteSize("script values", Amf0Reader.ReadAll(payload).Count);
                }
                catch (Amf0FormatException e)
                {
                    Feedback.NoteRejection(e);
                }
                break;
        }
    }

    /// <summary>What TsPackager does with each tag, with the muxer's output demuxed again to check it.</summary>
    private sealed class Packager
    {
        private readonly TsMuxer _muxer = new();
        private readonly TsDemuxer _demuxer = new();

        public void Video(ReadOnlySpan<byte> payload, VideoTagInfo info, uint time)
        {
            if (info.Codec is not (VideoCodec.Avc or VideoCodec.Hevc))
            {
                return;
            }
            var body = payload[info.HeaderLength..];
            if (info.Kind == VideoPacketKind.SequenceHeader)
            {
                var status = info.Codec == VideoCodec.Hevc ? _muxer.SetHevcConfig(body) : _muxer.SetAvcConfig(body);
                Feedback.Note("video config", (long)status);
                return;
            }
            if (info.Kind != VideoPacketKind.CodedFrames)
            {
                return;
            }
            var size = _muxer.MaxVideoLength(body.Length);
            if (size == 0)
            {
                return;
            }
            var destination = new byte[size];
            var result = _muxer.WriteVideo(destination, body, time, info.CompositionTimeMs, info.IsKeyFrame);
            Feedback.Note("video mux", (long)result.Status);
            Check(result, size, destination);
        }

        public void Audio(ReadOnlySpan<byte> payload, AudioTagInfo info, uint time)
        {
            if (info.Format != SoundFormat.Aac)
            {
                return;
            }
            var body = payload[info.HeaderLength..];
            if (info.IsSequenceHeader)
            {
                Feedback.Note("audio config", (long)_muxer.SetAacConfig(body));
                return;
            }
            var size = _muxer.MaxAudioLength(body.Length);
            if (size == 0)
            {
                return;
            }
            var destination = new byte[size];
            var result = _muxer.WriteAudio(destination, body, time);
            Feedback.Note("audio mux", (long)result.Status);
            Check(result, size, destination);
        }

        public void Finish()
        {
            _demuxer.Flush();
            while (_demuxer.TryRead(out _))
            {
            }
            var errors = _demuxer.SyncLosses + _demuxer.TransportErrors + _demuxer.MalformedPackets + _demuxer.ContinuityErrors
                + _demuxer.CrcErrors + _demuxer.MalformedSections + _demuxer.MalformedPes + _demuxer.OversizedPes;
            FuzzInvariantException.Check(errors == 0,
                $"muxer output does not demux cleanly: sync {_demuxer.SyncLosses}, transport {_demuxer.TransportErrors}, " +
                $"malformed packets {_demuxer.MalformedPackets}, continuity {_demuxer.ContinuityErrors}, crc {_demuxer.CrcErrors}, " +
                $"sections {_demuxer.MalformedSections}, pes {_demuxer.MalformedPes}, oversized {_demuxer.OversizedPes}");
        }

        private void Check(TsMuxResult result, int size, byte[] destination)
        {
            if (!result.IsOk)
            {
                FuzzInvariantException.Check(result.BytesWritten == 0, $"refused frame: ({result.Status}) still wrote {result.BytesWritten} bytes");
                return;
            }
            FuzzInvariantException.Check(result.BytesWritten > 0 && result.BytesWritten <= size && result.BytesWritten % TsPacket.Size == 0,
                $"muxer bound: wrote {result.BytesWritten} bytes, bound {size}");
            _demuxer.Write(destination.AsSpan(0, result.BytesWritten));
            while (_demuxer.TryRead(out _))
            {
            }
        }
    }
}
