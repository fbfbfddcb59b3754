using Appliance.Codecs.Dash;
using static Appliance.Codecs.Tests.Dash.DashManifests;

namespace Appliance.Codecs.Tests.Dash;

/// <summary>The low-latency signals, where dash.js finds them.</summary>
public class DashLowLatencyTests
{
    [Fact]
    public void WritesTheServiceDescriptionTheCriticalPropertyAndTheChunkedAvailability()
    {
        var manifest = Manifest(new DashPeriod("0", 0, [Video(Segments(0, 180000, 2))])) with
        {
            LowLatency = new DashLowLatency(1500, 1000, 3000, 0.96, 1.04, 1800),
        };

        Assert.Equal(Lines(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            "<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" profiles=\"urn:mpeg:dash:profile:isoff-live:2011,urn:mpeg:dash:profile:cmaf:2019,http://www.dashif.org/guidelines/low-latency-live-v5\" type=\"dynamic\" availabilityStartTime=\"2025-03-01T12:00:00.000Z\" publishTime=\"2025-03-01T12:00:20.000Z\" minimumUpdatePeriod=\"PT2S\" timeShiftBufferDepth=\"PT30S\" suggestedPresentationDelay=\"PT6S\" maxSegmentDuration=\"PT2S\" minBufferTime=\"PT2S\">",
            "  <ServiceDescription id=\"0\">",
            "    <Scope schemeIdUri=\"urn:dvb:dash:lowlatency:scope:2019\"/>",
            "    <Latency target=\"1500\" min=\"1000\" max=\"3000\"/>",
            "    <PlaybackRate min=\"0.96\" max=\"1.04\"/>",
            "  </ServiceDescription>",
            "  <Period id=\"0\" start=\"PT0S\">",
            "    <AdaptationSet id=\"0\" contentType=\"video\" mimeType=\"video/mp4\" segmentAlignment=\"true\" startWithSAP=\"1\">",
            "      <SupplementalProperty schemeIdUri=\"urn:dvb:dash:lowlatency:critical:2019\" value=\"true\"/>",
            "      <Representation id=\"video\" codecs=\"avc1.64001f\" bandwidth=\"2000000\" width=\"1280\" height=\"720\" frameRate=\"25\">",
            "        <SegmentTemplate timescale=\"90000\" initialization=\"video/init.mp4\" media=\"video/$Number$.m4s\" startNumber=\"5\" availabilityTimeOffset=\"1.8\" availabilityTimeComplete=\"false\">",
            "          <SegmentTimeline>",
            "            <S t=\"0\" d=\"180000\" r=\"1\"/>",
            "          </SegmentTimeline>",
            "        </SegmentTemplate>",
            "      </Representation>",
            "    </AdaptationSet>",
            "  </Period>",
            "  <UTCTiming schemeIdUri=\"urn:mpeg:dash:utc:http-iso:2014\" value=\"http://node.example/api/time\"/>",
            "</MPD>"), AsText(DashManifestWriter.Write(manifest)));
    }
}
