using Appliance.Streaming.Packaging.Cmaf;
using Appliance.Streaming.Packaging.Hls;
using Appliance.Streaming.Streams;

namespace Appliance.Streaming.Renditions;

/// <summary>Measures a rendition from its stream and one of its packagings, as its own playlists stand now.</summary>
public static class RenditionReader
{
    /// <summary>From the HLS-TS segments its playlist lists (the newest hls.windowSegments), audio and TS overhead included.</summary>
    public static Rendition FromHls(LiveStream stream, SegmentWindow window)
    {
        var segments = window.Segments;
        var first = Math.Max(0, segments.Count - stream.App.Hls.WindowSegments);
        long bytes = 0, durationMs = 0, frames = 0, peak = 0;
        var boundaries = new List<SegmentBoundary>(RenditionAlignment.CheckedSegments);
        for (var i = first; i < segments.Count; i++)
        {
            var segment = segments[i];
            bytes += segment.File.Length;
            durationMs += segment.DurationMs;
            frames += segment.VideoFrames;
            peak = Math.Max(peak, BitsPerSecond(segment.File.Length, segment.DurationMs));
        }
        for (var i = Math.Max(0, segments.Count - RenditionAlignment.CheckedSegments); i < segments.Count; i++)
        {
            boundaries.Add(new SegmentBoundary(segments[i].Sequence, segments[i].StartMs));
        }
        var format = stream.Format;
        var (numerator, denominator) = CmafRates.FrameRate(frames, durationMs);
        return new Rendition(stream.Key)
        {
            PeakBitsPerSecond = Math.Max(peak, 1),
            AverageBitsPerSecond = Math.Max(BitsPerSecond(bytes, durationMs), 1),
            Width = format.Width,
            Height = format.Height,
            FrameRateNumerator = numerator,
            FrameRateDenominator = denominator,
            Codecs = format.Codecs ?? "",
            AudioConfig = format.AudioConfig,
            HasVideo = stream.HasVideo,
            HasAudio = stream.HasAudio,
            Boundaries = boundaries,
        };
    }

    /// <summary>
    /// From its CMAF snapshot: the figures its own multivariant playlist states (video and audio
    /// peaks, averages, frame rate, codecs from the inits), boundaries from the video track (the
    /// audio one for an audio-only stream), and its MPD (<paramref name="lowLatency"/>: the LL one).
    /// </summary>
    public static Rendition FromCmaf(LiveStream stream, CmafSnapshot snapshot, bool lowLatency)
    {
        var variant = snapshot.Multivariant.Variants.Count > 0 ? snapshot.Multivariant.Variants[0] : null;
        var track = snapshot.Video ?? snapshot.Audio;
        var boundaries = new List<SegmentBoundary>(RenditionAlignment.CheckedSegments);
        if (track is not null)
        {
            var segments = track.Segments;
            for (var i = Math.Max(0, segments.Length - RenditionAlignment.CheckedSegments); i < segments.Length; i++)
            {
                boundaries.Add(new SegmentBoundary(segments[i].Number, segments[i].StartMs));
            }
        }
        var video = snapshot.Video;
        return new Rendition(stream.Key)
        {
            PeakBitsPerSecond = variant?.Bandwidth ?? 1,
            AverageBitsPerSecond = variant?.AverageBandwidth ?? 1,
            Width = variant?.Width ?? 0,
            Height = variant?.Height ?? 0,
            FrameRateNumerator = variant?.FrameRateNumerator ?? 0,
            FrameRateDenominator = variant?.FrameRateDenominator ?? 1,
            Codecs = variant?.Codecs ?? "",
            AudioConfig = snapshot.Audio is null ? null : stream.Format.AudioConfig,
            AudioChannels = snapshot.Multivariant.Audio.Count > 0 ? snapshot.Multivariant.Audio[0].Channels : 0,
            HasVideo = video is not null,
            HasAudio = snapshot.Audio is not null,
            Boundaries = boundaries,
            Dash = lowLatency ? snapshot.DashLowLatency : snapshot.Dash,
            LastPart = video is null ? (-1, -1) : (video.LastPartMsn, video.LastPart),
        };
    }

    private static long BitsPerSecond(long bytes, long durationMs) => durationMs > 0 ? bytes * 8 * 1000 / durationMs : 0;
}
