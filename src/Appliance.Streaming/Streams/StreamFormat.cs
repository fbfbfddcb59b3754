using Appliance.Codecs.Aac;
using Appliance.Codecs.Avc;
using Appliance.Codecs.Flv;
using Appliance.Codecs.Hevc;

namespace Appliance.Streaming.Streams;

/// <summary>
/// What a stream's sequence headers declare, as multivariant playlists name it: the RFC 6381
/// codecs of each track, the picture size from the SPS, and the AudioSpecificConfig (renditions
/// whose audio is byte for byte the same can share one audio playlist). Rebuilt when a header
/// arrives, never per frame; null or 0 where a header is missing or not understood.
/// </summary>
public sealed record StreamFormat(string? VideoCodecs, int Width, int Height, string? AudioCodecs, byte[]? AudioConfig)
{
    public static StreamFormat None { get; } = new(null, 0, 0, null, null);

    /// <summary>"avc1.64001f,mp4a.40.2": every track's codecs that is known, or null with none.</summary>
    public string? Codecs => (VideoCodecs, AudioCodecs) switch
    {
        (null, null) => null,
        ({ } video, null) => video,
        (null, { } audio) => audio,
        var (video, audio) => $"{video},{audio}",
    };

    /// <summary>This format with the video sequence header <paramref name="payload"/> (an FLV video tag) in effect.</summary>
    public StreamFormat WithVideoHeader(ReadOnlySpan<byte> payload)
    {
        if (!VideoTagInfo.TryParse(payload, out var info))
        {
            return this;
        }
        var record = payload[info.HeaderLength..];
        string? codecs = null;
        int width = 0, height = 0;
        if (info.Codec == VideoCodec.Avc && AvcCodecString.TryCreate(record, out var avc, out _))
        {
            codecs = avc;
            if (AvcDecoderConfigurationRecord.TryParse(record, out var config) && config is { Sps.Count: > 0 } &&
                !H264Sps.TryParseResolution(config.Sps[0], out width, out height))
            {
                (width, height) = (0, 0);
            }
        }
        else if (info.Codec == VideoCodec.Hevc && HevcCodecString.TryCreate(record, out var hevc, out _))
        {
            codecs = hevc;
            if (!HevcDecoderConfigurationRecord.TryParseResolution(record, out width, out height))
            {
                (width, height) = (0, 0);
            }
        }
        return this with { VideoCodecs = codecs, Width = width, Height = height };
    }

    /// <summary>This format with the audio sequence header <paramref name="payload"/> (an FLV audio tag) in effect.</summary>
    public StreamFormat WithAudioHeader(ReadOnlySpan<byte> payload)
    {
        if (!AudioTagInfo.TryParse(payload, out var info) || info.Format != SoundFormat.Aac)
        {
            return this;
        }
        var config = payload[info.HeaderLength..];
        return AacCodecString.TryCreate(config, out var codecs, out _)
            ? this with { AudioCodecs = codecs, AudioConfig = config.ToArray() }
            : this with { AudioCodecs = null, AudioConfig = null };
    }
}
