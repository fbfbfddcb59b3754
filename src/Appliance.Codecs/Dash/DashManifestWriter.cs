using System.Buffers;
using Appliance.Codecs.Text;

namespace Appliance.Codecs.Dash;

/// <summary>
/// Writes a dynamic MPD (ISO/IEC 23009-1) for CMAF segments with SegmentTemplate addressing, the
/// session's query on every initialization and media template. A plain UTF-8 writer, not an XML
/// serializer (AOT), that allocates nothing: the MPD can be written per request.
/// </summary>
/// <remarks>
/// Low latency is signalled the ways dash.js looks for it: availabilityTimeComplete="false" on the
/// SegmentTemplate (dash.js 4 and 5 switch to low-latency mode on it), the DVB critical
/// SupplementalProperty on each AdaptationSet (dash.js 3 needs it, and it is what makes dash.js 3
/// apply the ServiceDescription), and a ServiceDescription scoped to the DVB low-latency scheme
/// (dash.js takes its Latency and PlaybackRate as target delay and catch-up rate).
/// </remarks>
public static class DashManifestWriter
{
    private const string LivePlusCmafProfiles = "urn:mpeg:dash:profile:isoff-live:2011,urn:mpeg:dash:profile:cmaf:2019";
    private const string LowLatencyProfile = "http://www.dashif.org/guidelines/low-latency-live-v5";

    public static byte[] Write(DashManifest manifest, string? querySuffix = null)
    {
        var output = new ArrayBufferWriter<byte>(2048);
        Write(manifest, querySuffix, output);
        return output.WrittenSpan.ToArray();
    }

    public static void Write(DashManifest manifest, string? querySuffix, IBufferWriter<byte> output)
    {
        var text = new Utf8Output(output);
        var lowLatency = manifest.LowLatency;
        text.Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" profiles=\""u8);
        text.Append(LivePlusCmafProfiles);
        if (lowLatency is not null)
        {
            text.Append(',');
            text.Append(LowLatencyProfile);
        }
        text.Append("\" type=\"dynamic\" availabilityStartTime=\""u8);
        text.AppendUtc(manifest.AvailabilityStartTime);
        text.Append("\" publishTime=\""u8);
        text.AppendUtc(manifest.PublishTime);
        text.Append('"');
        DurationAttribute(text, " minimumUpdatePeriod=\""u8, manifest.MinimumUpdatePeriodMs);
        DurationAttribute(text, " timeShiftBufferDepth=\""u8, manifest.TimeShiftBufferDepthMs);
        DurationAttribute(text, " suggestedPresentationDelay=\""u8, manifest.SuggestedPresentationDelayMs);
        DurationAttribute(text, " maxSegmentDuration=\""u8, manifest.MaxSegmentDurationMs);
        text.Append(" minBufferTime=\""u8);
        DashXml.AppendDuration(text, manifest.MinBufferTimeMs);
        text.Append("\">\n"u8);
        if (lowLatency is not null)
        {
            WriteServiceDescription(text, lowLatency);
        }
        for (var i = 0; i < manifest.Periods.Count; i++)
        {
            WritePeriod(text, manifest.Periods[i], lowLatency, querySuffix);
        }
        if (manifest.UtcTimingUrl is not null)
        {
            text.Append("  <UTCTiming schemeIdUri=\"urn:mpeg:dash:utc:http-iso:2014\" value=\""u8);
            DashXml.AppendEscaped(text, manifest.UtcTimingUrl);
            text.Append("\"/>\n"u8);
        }
        text.Append("</MPD>\n"u8);
    }

    private static void WriteServiceDescription(Utf8Output text, DashLowLatency lowLatency)
    {
        text.Append("  <ServiceDescription id=\"0\">\n    <Scope schemeIdUri=\"urn:dvb:dash:lowlatency:scope:2019\"/>\n    <Latency target=\""u8);
        text.Append(lowLatency.TargetLatencyMs);
        text.Append("\" min=\""u8);
        text.Append(lowLatency.MinLatencyMs);
        text.Append("\" max=\""u8);
        text.Append(lowLatency.MaxLatencyMs);
        text.Append("\"/>\n    <PlaybackRate min=\""u8);
        text.AppendDecimal(lowLatency.MinPlaybackRate);
        text.Append("\" max=\""u8);
        text.AppendDecimal(lowLatency.MaxPlaybackRate);
        text.Append("\"/>\n  </ServiceDescription>\n"u8);
    }

    private static void WritePeriod(Utf8Output text, DashPeriod period, DashLowLatency? lowLatency, string? querySuffix)
    {
        text.Append("  <Period id=\""u8);
        DashXml.AppendEscaped(text, period.Id);
        text.Append("\" start=\""u8);
        DashXml.AppendDuration(text, period.StartMs);
        text.Append("\">\n"u8);
        for (var i = 0; i < period.AdaptationSets.Count; i++)
        {
            var set = period.AdaptationSets[i];
            text.Append("    <AdaptationSet id=\""u8);
            text.Append(set.Id);
            text.Append(set.ContentType == DashContentType.Video
                ? "\" contentType=\"video\" mimeType=\"video/mp4\""u8
                : "\" contentType=\"audio\" mimeType=\"audio/mp4\""u8);
            if (set.Language is not null)
            {
                text.Append(" lang=\""u8);
                DashXml.AppendEscaped(text, set.Language);
                text.Append('"');
            }
            text.Append(" segmentAlignment=\"true\" startWithSAP=\"1\">\n"u8);
            if (lowLatency is not null)
            {
                text.Append("      <SupplementalProperty schemeIdUri=\"urn:dvb:dash:lowlatency:critical:2019\" value=\"true\"/>\n"u8);
            }
            for (var r = 0; r < set.Representations.Count; r++)
            {
                WriteRepresentation(text, set.Representations[r], lowLatency, querySuffix);
            }
            text.Append("    </AdaptationSet>\n"u8);
        }
        text.Append("  </Period>\n"u8);
    }

    private static void WriteRepresentation(Utf8Output text, DashRepresentation representation, DashLowLatency? lowLatency, string? querySuffix)
    {
        text.Append("      <Representation id=\""u8);
        DashXml.AppendEscaped(text, representation.Id);
        text.Append("\" codecs=\""u8);
        DashXml.AppendEscaped(text, representation.Codecs);
        text.Append("\" bandwidth=\""u8);
        text.Append(representation.Bandwidth);
        text.Append('"');
        NumberAttribute(text, " width=\""u8, representation.Width);
        NumberAttribute(text, " height=\""u8, representation.Height);
        if (representation.FrameRateNumerator > 0 && representation.FrameRateDenominator > 0)
        {
            text.Append(" frameRate=\""u8);
            text.Append(representation.FrameRateNumerator);
            if (representation.FrameRateDenominator != 1)
            {
                text.Append('/');
                text.Append(representation.FrameRateDenominator);
            }
            text.Append('"');
        }
        NumberAttribute(text, " audioSamplingRate=\""u8, representation.AudioSamplingRate);
        text.Append(">\n"u8);
        if (representation.AudioChannels > 0)
        {
            text.Append("        <AudioChannelConfiguration schemeIdUri=\"urn:mpeg:dash:23003:3:audio_channel_configuration:2011\" value=\""u8);
            text.Append(representation.AudioChannels);
            text.Append("\"/>\n"u8);
        }
        WriteSegmentTemplate(text, representation.SegmentTemplate, lowLatency, querySuffix);
        text.Append("      </Representation>\n"u8);
    }

    private static void WriteSegmentTemplate(Utf8Output text, DashSegmentTemplate template, DashLowLatency? lowLatency, string? querySuffix)
    {
        text.Append("        <SegmentTemplate timescale=\""u8);
        text.Append(template.Timescale);
        text.Append("\" initialization=\""u8);
        DashXml.AppendTemplate(text, template.Initialization, querySuffix);
        text.Append("\" media=\""u8);
        DashXml.AppendTemplate(text, template.Media, querySuffix);
        text.Append("\" startNumber=\""u8);
        text.Append(template.StartNumber);
        text.Append('"');
        if (template.PresentationTimeOffset > 0)
        {
            text.Append(" presentationTimeOffset=\""u8);
            text.Append(template.PresentationTimeOffset);
            text.Append('"');
        }
        var timeline = template.Timeline;
        if (timeline.Count == 0 && template.Duration > 0)
        {
            text.Append(" duration=\""u8);
            text.Append(template.Duration);
            text.Append('"');
        }
        if (lowLatency is not null)
        {
            text.Append(" availabilityTimeOffset=\""u8);
            text.AppendThousandthsTrimmed(lowLatency.AvailabilityTimeOffsetMs);
            text.Append("\" availabilityTimeComplete=\"false\""u8);
        }
        if (timeline.Count == 0)
        {
            text.Append("/>\n"u8);
            return;
        }
        text.Append(">\n"u8);
        DashTimeline.Write(text, timeline, "          "u8);
        text.Append("        </SegmentTemplate>\n"u8);
    }

    private static void DurationAttribute(Utf8Output text, ReadOnlySpan<byte> opening, long milliseconds)
    {
        if (milliseconds > 0)
        {
            text.Append(opening);
            DashXml.AppendDuration(text, milliseconds);
            text.Append('"');
        }
    }

    private static void NumberAttribute(Utf8Output text, ReadOnlySpan<byte> opening, long value)
    {
        if (value > 0)
        {
            text.Append(opening);
            text.Append(value);
            text.Append('"');
        }
    }
}
