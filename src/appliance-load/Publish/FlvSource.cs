using System.Buffers;
using Appliance.Codecs.Flv;

namespace Appliance.Load.Publish;

/// <summary>One audio or video tag of the source file, its timestamp from the file's first tag.</summary>
internal readonly record struct SourceTag(FlvTagType Type, long TimeMs, byte[] Payload, bool Header);

/// <summary>
/// The file a stamped publisher sends: an FLV file as an encoder wrote it (ffmpeg -f flv), read
/// once into memory. Script tags (onMetaData) are left out; sequence headers (AVC/HEVC decoder
/// configuration, AAC AudioSpecificConfig) are marked, so a loop sends them only once.
/// </summary>
internal sealed class FlvSource
{
    private FlvSource(List<SourceTag> tags, long durationMs, int nalLengthSize)
    {
        Tags = tags;
        DurationMs = durationMs;
        NalLengthSize = nalLengthSize;
    }

    public IReadOnlyList<SourceTag> Tags { get; }

    /// <summary>From the first tag to one video frame after the last: a loop starts this much later than the one before.</summary>
    public long DurationMs { get; }

    /// <summary>Bytes of each NAL unit's length in the video frames (from the decoder configuration; 4 if none).</summary>
    public int NalLengthSize { get; }

    /// <summary>Reads <paramref name="path"/>; throws <see cref="FlvFormatException"/> or <see cref="InvalidDataException"/> with what is wrong.</summary>
    public static FlvSource Load(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes));
        var flv = new FlvStreamReader();
        var tags = new List<SourceTag>();
        long first = -1, last = 0, lastVideo = -1, videoStep = 40;
        var nalLengthSize = 4;
        var frames = 0;
        while (flv.TryReadTag(ref reader, out var tag))
        {
            var payload = tag.Payload.Span.ToArray();
            tag.Payload.Release();
            if (tag.Type == FlvTagType.Script || payload.Length == 0)
            {
                continue;
            }
            if (first < 0)
            {
                first = tag.Timestamp;
            }
            var time = tag.Timestamp - first;
            var header = false;
            if (tag.Type == FlvTagType.Video && VideoTagInfo.TryParse(payload, out var video))
            {
                header = video.Kind == VideoPacketKind.SequenceHeader;
                if (header)
                {
                    nalLengthSize = NalLengthSizeOf(video.Codec, payload.AsSpan(video.HeaderLength)) ?? nalLengthSize;
                }
                else if (video.Kind == VideoPacketKind.CodedFrames)
                {
                    frames++;
                    videoStep = lastVideo >= 0 && time > lastVideo ? time - lastVideo : videoStep;
                    lastVideo = time;
                }
            }
            else if (tag.Type == FlvTagType.Audio)
            {
                // AAC: the second byte 0 is the AudioSpecificConfig.
                header = (payload[0] >> 4) == 10 && payload.Length > 1 && payload[1] == 0;
            }
            last = Math.Max(last, time);
            tags.Add(new SourceTag(tag.Type, time, payload, header));
        }
        if (reader.Remaining > 0)
        {
            throw new InvalidDataException($"{reader.Remaining} bytes after the last whole tag");
        }
        if (frames == 0)
        {
            throw new InvalidDataException("no H.264 or H.265 video frames");
        }
        return new FlvSource(tags, last + videoStep, nalLengthSize);
    }

    private static int? NalLengthSizeOf(VideoCodec codec, ReadOnlySpan<byte> record) => codec switch
    {
        VideoCodec.Avc when record.Length > 4 => (record[4] & 3) + 1,
        VideoCodec.Hevc when record.Length > 21 => (record[21] & 3) + 1,
        _ => null,
    };
}
