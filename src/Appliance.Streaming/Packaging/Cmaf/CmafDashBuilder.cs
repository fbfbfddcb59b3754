using Appliance.Codecs.Dash;
using Appliance.Codecs.Fmp4;

namespace Appliance.Streaming.Packaging.Cmaf;

/// <summary>What the DASH manifests need besides the tracks.</summary>
/// <param name="AvailabilityStartMs">availabilityStartTime: the wall clock at media time 0 of the first timeline, fixed for the stream's life.</param>
/// <param name="Prefix">From the MPD's URL (/{app}/{stream}.mpd) to the stream's files: the escaped stream name and '/'.</param>
internal readonly record struct DashContext(long AvailabilityStartMs, long NowMs, long TargetMs, long PartTargetMs, string Prefix, string? UtcTimingUrl, bool Ended);

/// <summary>
/// The dynamic MPDs. Segments are addressed by $Number$ (the same files HLS lists) with a
/// SegmentTimeline of their exact durations: a nominal @duration would have players compute
/// segment numbers from the wall clock, and keyframe-cut segments drift from any nominal length
/// (a 2002 ms GOP skips a number every 1000 segments), which is how OvenMediaEngine's LL-DASH came
/// to 404. A SegmentTimeline plays in dash.js, GStreamer and ffmpeg alike. Each timeline (epoch)
/// is a Period: the first starts at 0 with presentationTimeOffset 0, so media time is presentation
/// time since availabilityStartTime; a later one starts where the wall clock was when it began,
/// with its first media time as presentationTimeOffset. The low-latency MPD also announces the
/// segment in progress (with the target duration until it completes), the way DASH-IF's livesim2
/// does for SegmentTimeline, so dash.js requests it early and receives it chunk by chunk.
/// </summary>
internal static class CmafDashBuilder
{
    public static DashManifest? Build(CmafTrack? video, CmafTrack? audio, in DashContext context, bool lowLatency)
    {
        var primary = video is { Window.Segments.Length: > 0 } ? video : audio is { Window.Segments.Length: > 0 } ? audio : null;
        if (primary is null)
        {
            return null;
        }
        var window = primary.Window;
        var listed = window.Segments.AsSpan(window.FirstListedIndex);
        var periods = new List<DashPeriod>();
        long depthMs = 0, longestMs = context.TargetMs;
        CmafEpoch? epoch = null;
        foreach (var segment in listed)
        {
            depthMs += segment.DurationMs;
            longestMs = Math.Max(longestMs, segment.DurationMs);
            if (ReferenceEquals(segment.Epoch, epoch))
            {
                continue;
            }
            epoch = segment.Epoch;
            var sets = new List<DashAdaptationSet>(2);
            var announce = lowLatency && !context.Ended;
            if (Representation(video, epoch, context, announce) is { } videoRepresentation)
            {
                sets.Add(new DashAdaptationSet(0, DashContentType.Video, [videoRepresentation]));
            }
            if (Representation(audio, epoch, context, announce) is { } audioRepresentation)
            {
                sets.Add(new DashAdaptationSet(1, DashContentType.Audio, [audioRepresentation]));
            }
            periods.Add(new DashPeriod($"p{epoch.FirstNumber}", epoch.PeriodStartMs, sets));
        }
        var latency = LowLatencyOf(context);
        return new DashManifest(DateTimeOffset.FromUnixTimeMilliseconds(context.AvailabilityStartMs), DateTimeOffset.FromUnixTimeMilliseconds(context.NowMs),
            lowLatency ? 3 * context.PartTargetMs : context.TargetMs, periods)
        {
            MinimumUpdatePeriodMs = context.Ended ? 0 : lowLatency ? context.PartTargetMs : context.TargetMs,
            TimeShiftBufferDepthMs = depthMs,
            SuggestedPresentationDelayMs = lowLatency ? latency.TargetLatencyMs : 3 * context.TargetMs,
            MaxSegmentDurationMs = longestMs,
            UtcTimingUrl = context.UtcTimingUrl,
            LowLatency = lowLatency ? latency : null,
        };
    }

    /// <summary>
    /// Aim for 1.5 s behind live (five parts when they are longer than 300 ms), no closer than
    /// three parts, no further than twice the aim; a segment's first chunk may be asked for one
    /// part after the segment starts.
    /// </summary>
    private static DashLowLatency LowLatencyOf(in DashContext context)
    {
        var target = Math.Max(1500, 5 * context.PartTargetMs);
        return new DashLowLatency(
            TargetLatencyMs: target,
            MinLatencyMs: 3 * context.PartTargetMs,
            MaxLatencyMs: 2 * target,
            MinPlaybackRate: 0.96,
            MaxPlaybackRate: 1.04,
            AvailabilityTimeOffsetMs: Math.Max(0, context.TargetMs - context.PartTargetMs));
    }

    private static DashRepresentation? Representation(CmafTrack? track, CmafEpoch epoch, in DashContext context, bool announce)
    {
        if (track is null)
        {
            return null;
        }
        var window = track.Window;
        var timeline = new List<DashSegmentTime>();
        CmafInit? init = null;
        long startNumber = 0;
        var segments = window.Segments;
        for (var i = window.FirstListedIndex; i < segments.Length; i++)
        {
            var segment = segments[i];
            if (!ReferenceEquals(segment.Epoch, epoch))
            {
                continue;
            }
            if (init is null)
            {
                init = segment.Init;
                startNumber = segment.Number;
            }
            timeline.Add(Time(segment.StartMs, segment.EndMs, segment.Init.Track.Timescale));
        }
        if (announce && AnnouncedMs(track, context) is var expectedMs and > 0 && ReferenceEquals(track.Epoch, epoch))
        {
            if (init is null)
            {
                init = track.SegmentInit!;
                startNumber = track.Number;
            }
            timeline.Add(Time(track.StartMs, track.StartMs + expectedMs, init.Track.Timescale));
        }
        if (init is null)
        {
            return null;
        }
        var timescale = init.Track.Timescale;
        var rates = CmafRates.Measure(window, track);
        var template = new DashSegmentTemplate((int)timescale, context.Prefix + init.Name, CmafName.SegmentTemplate(context.Prefix, track.Kind))
        {
            StartNumber = startNumber,
            PresentationTimeOffset = CmafTrack.ToTimescale(epoch.PresentationOffsetMs, timescale),
            Timeline = timeline,
        };
        var kind = init.Track.Kind;
        return new DashRepresentation(CmafName.TrackName(kind), init.Codecs, rates.PeakBitsPerSecond, template)
        {
            Width = init.Track.Width,
            Height = init.Track.Height,
            FrameRateNumerator = kind == Fmp4TrackKind.Video ? rates.FrameRateNumerator : 0,
            FrameRateDenominator = kind == Fmp4TrackKind.Video ? rates.FrameRateDenominator : 1,
            AudioSamplingRate = init.Track.SampleRate,
            AudioChannels = init.Track.Channels,
        };
    }

    /// <summary>
    /// How long the low-latency MPD says the segment in progress lasts: the target, or more once
    /// its parts have run past it; 0 while it has no part (it is not announced then).
    /// </summary>
    public static long AnnouncedMs(CmafTrack track, in DashContext context)
    {
        if (!track.IsOpen || track.Parts.Count == 0)
        {
            return 0;
        }
        var lastPart = track.Parts[^1];
        return Math.Max(context.TargetMs, lastPart.StartMs + lastPart.DurationMs - track.StartMs + context.PartTargetMs);
    }

    private static DashSegmentTime Time(long startMs, long endMs, uint timescale)
    {
        var start = CmafTrack.ToTimescale(startMs, timescale);
        return new DashSegmentTime(start, CmafTrack.ToTimescale(endMs, timescale) - start);
    }
}
