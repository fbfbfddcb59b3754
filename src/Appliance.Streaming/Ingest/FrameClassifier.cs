using Appliance.Codecs.Aac;
using Appliance.Codecs.Avc;
using Appliance.Codecs.Flv;
using Appliance.Codecs.Hevc;
using Appliance.Streaming.Streams;
using Appliance.Streaming.Media;

namespace Appliance.Streaming.Ingest;

/// <summary>
/// Reads an FLV/RTMP audio or video tag header to flag keyframes and sequence headers, and keeps
/// the stream's codec description current when a sequence header arrives.
/// </summary>
public static class FrameClassifier
{
    /// <summary>Flags for a video payload; false if the header is too short or makes no sense.</summary>
    public static bool TryClassifyVideo(ReadOnlySpan<byte> payload, StreamStats stats, out FrameFlags flags)
    {
        flags = FrameFlags.None;
        if (!VideoTagInfo.TryParse(payload, out var info))
        {
            return false;
        }
        if (info.IsKeyFrame)
        {
            flags |= FrameFlags.KeyFrame;
            if (info.Kind == VideoPacketKind.CodedFrames)
            {
                stats.KeyFrameCompositionMs = info.CompositionTimeMs;
            }
        }
        if (info.Kind == VideoPacketKind.SequenceHeader)
        {
            flags |= FrameFlags.SequenceHeader;
            DescribeVideo(info, payload[info.HeaderLength..], stats);
        }
        return true;
    }

    public static bool TryClassifyAudio(ReadOnlySpan<byte> payload, StreamStats stats, out FrameFlags flags)
    {
        flags = FrameFlags.None;
        if (!AudioTagInfo.TryParse(payload, out var info))
        {
            return false;
        }
        if (info.IsSequenceHeader)
        {
            flags |= FrameFlags.SequenceHeader;
            if (AudioSpecificConfig.TryParse(payload[info.HeaderLength..], out var aac))
            {
                stats.AudioCodec = $"aac (object type {aac.ObjectType}, {aac.SampleRate} Hz, {aac.Channels} ch)";
            }
        }
        else if (stats.AudioCodec is null)
        {
            stats.AudioCodec = info.Format.ToString().ToLowerInvariant();
        }
        return true;
    }

    private static void DescribeVideo(in VideoTagInfo info, ReadOnlySpan<byte> record, StreamStats stats)
    {
        stats.VideoCodec = info.Codec.ToString().ToLowerInvariant();
        int width = 0, height = 0;
        var known = info.Codec switch
        {
            VideoCodec.Avc => AvcDecoderConfigurationRecord.TryParse(record, out var avc) && avc is { Sps.Count: > 0 } &&
                              H264Sps.TryParseResolution(avc.Sps[0], out width, out height),
            VideoCodec.Hevc => HevcDecoderConfigurationRecord.TryParseResolution(record, out width, out height),
            _ => false,
        };
        if (known)
        {
            stats.Width = width;
            stats.Height = height;
        }
    }
}
