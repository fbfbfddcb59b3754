using System.Buffers;
using System.Buffers.Binary;
using Appliance.Codecs.Flv;
using Appliance.Codecs.Fmp4;
using Appliance.Codecs.MpegTs;

namespace Appliance.Codecs.Tests.Fmp4;

/// <summary>One coded frame for the muxer: decode time and composition offset in the track's timescale, payload as the FLV tag carries it.</summary>
internal sealed record MediaFrame(long DecodeTime, int CompositionOffset, bool IsSync, byte[] Payload);

/// <summary>A track's configuration record and its frames in decode order.</summary>
internal sealed record MediaTrack(byte[] Configuration, List<MediaFrame> Frames);

/// <summary>Real media for the interoperability tests, read with our own FLV and Annex-B code.</summary>
internal static class Fmp4Media
{
    /// <summary>
    /// The video and AAC tracks of an FLV file: FLV milliseconds become 90 kHz for video; AAC
    /// frames are 1024 samples apart in the sample-rate timescale.
    /// </summary>
    public static (MediaTrack Video, MediaTrack Audio) ReadFlv(byte[] file)
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(file));
        var flv = new FlvStreamReader();
        byte[]? videoConfig = null, audioConfig = null;
        var video = new List<MediaFrame>();
        var audio = new List<MediaFrame>();
        while (flv.TryReadTag(ref reader, out var tag))
        {
            var payload = tag.Payload.Span.ToArray();
            tag.Payload.Release();
            if (tag.Type == FlvTagType.Video)
            {
                Assert.True(VideoTagInfo.TryParse(payload, out var info));
                var body = payload[info.HeaderLength..];
                if (info.Kind == VideoPacketKind.SequenceHeader)
                {
                    videoConfig = body;
                }
                else if (info.Kind == VideoPacketKind.CodedFrames)
                {
                    video.Add(new MediaFrame(tag.Timestamp * 90L, info.CompositionTimeMs * 90, info.IsKeyFrame, body));
                }
            }
            else if (tag.Type == FlvTagType.Audio)
            {
                Assert.True(AudioTagInfo.TryParse(payload, out var info));
                var body = payload[info.HeaderLength..];
                if (info.IsSequenceHeader)
                {
                    audioConfig = body;
                }
                else
                {
                    audio.Add(new MediaFrame(audio.Count * 1024L, 0, true, body));
                }
            }
        }
        Assert.True(reader.End);
        Assert.NotNull(videoConfig);
        Assert.NotNull(audioConfig);
        return (new MediaTrack(videoConfig, video), new MediaTrack(audioConfig, audio));
    }

    /// <summary>
    /// Pictures of a raw HEVC stream with an AUD per picture, as FLV would carry them: four-byte
    /// length prefixes, without the AUDs and parameter sets (those are in the hvcC), one per 25 fps
    /// frame at 90 kHz. IRAP pictures are sync samples.
    /// </summary>
    public static List<MediaFrame> HevcFrames(byte[] raw)
    {
        var frames = new List<MediaFrame>();
        List<byte>? current = null;
        var sync = false;
        var reader = new AnnexBReader(raw);
        while (reader.TryReadNext(out var nal))
        {
            var type = NalUnitTypes.H265Type(nal[0]);
            if (type == NalUnitTypes.H265Aud)
            {
                Flush();
                current = [];
                sync = false;
                continue;
            }
            if (type is NalUnitTypes.H265Vps or NalUnitTypes.H265Sps or NalUnitTypes.H265Pps)
            {
                continue;
            }
            sync |= type is >= NalUnitTypes.H265BlaWLp and <= NalUnitTypes.H265RsvIrap23;
            current ??= [];
            var prefix = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(prefix, nal.Length);
            current.AddRange(prefix);
            current.AddRange(nal);
        }
        Flush();
        return frames;

        void Flush()
        {
            if (current is { Count: > 0 })
            {
                frames.Add(new MediaFrame(frames.Count * 3600L, 0, sync, [.. current]));
            }
        }
    }

    /// <summary>
    /// The frames as fragments of at most <paramref name="framesPerFragment"/> frames, each cut
    /// also before a sync frame (as LL-HLS parts are), the first of each GOP with a styp.
    /// Durations are to the next frame; the last frame repeats the one before. Decode times
    /// start at <paramref name="decodeTimeBase"/>.
    /// </summary>
    public static List<byte[]> Fragments(Fmp4Track track, List<MediaFrame> frames, int framesPerFragment, ref uint sequenceNumber, ulong decodeTimeBase = 0)
    {
        var fragments = new List<byte[]>();
        var start = 0;
        while (start < frames.Count)
        {
            var end = start + 1;
            while (end < frames.Count && end - start < framesPerFragment && !frames[end].IsSync)
            {
                end++;
            }
            var samples = new Fmp4Sample[end - start];
            var payload = new List<byte>();
            for (var i = start; i < end; i++)
            {
                var next = i + 1 < frames.Count ? frames[i + 1].DecodeTime : frames[i].DecodeTime + (frames[i].DecodeTime - frames[i - 1].DecodeTime);
                samples[i - start] = new((uint)(next - frames[i].DecodeTime), frames[i].Payload.Length, frames[i].IsSync, frames[i].CompositionOffset);
                payload.AddRange(frames[i].Payload);
            }
            var output = new ArrayBufferWriter<byte>();
            Fmp4Fragment.Write(output, track, sequenceNumber++, decodeTimeBase + (ulong)frames[start].DecodeTime, samples,
                new ReadOnlySequence<byte>(payload.ToArray()), withSegmentType: frames[start].IsSync);
            fragments.Add(output.WrittenSpan.ToArray());
            start = end;
        }
        return fragments;
    }
}
