using System.Xml.Linq;
using Appliance.Codecs.Dash;
using static Appliance.Codecs.Tests.Dash.DashManifests;

namespace Appliance.Codecs.Tests.Dash;

/// <summary>The dynamic MPD, exactly, and as an XML parser reads it.</summary>
public class DashManifestWriterTests
{
    private static readonly XNamespace Mpd = "urn:mpeg:dash:schema:mpd:2011";

    [Fact]
    public void WritesASmallDynamicManifest()
    {
        var manifest = Manifest(new DashPeriod("0", 0, [Video(Segments(900000, 180000, 3)), Audio(Segments(480000, 96000, 3))]));

        Assert.Equal(Lines(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            "<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" profiles=\"urn:mpeg:dash:profile:isoff-live:2011,urn:mpeg:dash:profile:cmaf:2019\" type=\"dynamic\" availabilityStartTime=\"2025-03-01T12:00:00.000Z\" publishTime=\"2025-03-01T12:00:20.000Z\" minimumUpdatePeriod=\"PT2S\" timeShiftBufferDepth=\"PT30S\" suggestedPresentationDelay=\"PT6S\" maxSegmentDuration=\"PT2S\" minBufferTime=\"PT2S\">",
            "  <Period id=\"0\" start=\"PT0S\">",
            "    <AdaptationSet id=\"0\" contentType=\"video\" mimeType=\"video/mp4\" segmentAlignment=\"true\" startWithSAP=\"1\">",
            "      <Representation id=\"video\" codecs=\"avc1.64001f\" bandwidth=\"2000000\" width=\"1280\" height=\"720\" frameRate=\"25\">",
            "        <SegmentTemplate timescale=\"90000\" initialization=\"video/init.mp4\" media=\"video/$Number$.m4s\" startNumber=\"5\">",
            "          <SegmentTimeline>",
            "            <S t=\"900000\" d=\"180000\" r=\"2\"/>",
            "          </SegmentTimeline>",
            "        </SegmentTemplate>",
            "      </Representation>",
            "    </AdaptationSet>",
            "    <AdaptationSet id=\"1\" contentType=\"audio\" mimeType=\"audio/mp4\" lang=\"en\" segmentAlignment=\"true\" startWithSAP=\"1\">",
            "      <Representation id=\"audio\" codecs=\"mp4a.40.2\" bandwidth=\"128000\" audioSamplingRate=\"48000\">",
            "        <AudioChannelConfiguration schemeIdUri=\"urn:mpeg:dash:23003:3:audio_channel_configuration:2011\" value=\"2\"/>",
            "        <SegmentTemplate timescale=\"48000\" initialization=\"audio/init.mp4\" media=\"audio/$Number$.m4s\" startNumber=\"5\">",
            "          <SegmentTimeline>",
            "            <S t=\"480000\" d=\"96000\" r=\"2\"/>",
            "          </SegmentTimeline>",
            "        </SegmentTemplate>",
            "      </Representation>",
            "    </AdaptationSet>",
            "  </Period>",
            "  <UTCTiming schemeIdUri=\"urn:mpeg:dash:utc:http-iso:2014\" value=\"http://node.example/api/time\"/>",
            "</MPD>"), AsText(DashManifestWriter.Write(manifest)));
    }

    [Fact]
    public void AnXmlParserReadsTheManifestAsWritten()
    {
        var manifest = Manifest(
            new DashPeriod("0", 0, [Video(Segments(0, 180000, 4), 0), Audio(Segments(0, 96000, 4), 0)]),
            new DashPeriod("1", 8040, [Video(Segments(0, 180000, 2), 4), Audio(Segments(0, 96000, 2), 4)])) with
        {
            LowLatency = new DashLowLatency(1500, 1000, 3000, 0.96, 1.04, 1800),
        };

        var mpd = XDocument.Parse(AsText(DashManifestWriter.Write(manifest, "token=a&b"))).Root!;

        Assert.Equal(Mpd + "MPD", mpd.Name);
        Assert.Equal("dynamic", (string?)mpd.Attribute("type"));
        Assert.Equal("PT30S", (string?)mpd.Attribute("timeShiftBufferDepth"));
        Assert.Equal(["0", "1"], mpd.Elements(Mpd + "Period").Select(p => (string)p.Attribute("id")!));
        Assert.Equal(["PT0S", "PT8.04S"], mpd.Elements(Mpd + "Period").Select(p => (string)p.Attribute("start")!));
        var templates = mpd.Descendants(Mpd + "SegmentTemplate").ToList();
        Assert.Equal(4, templates.Count);
        Assert.All(templates, t =>
        {
            Assert.Equal("false", (string?)t.Attribute("availabilityTimeComplete"));
            Assert.Equal("1.8", (string?)t.Attribute("availabilityTimeOffset"));
            Assert.EndsWith(".m4s?token=a&b", (string)t.Attribute("media")!, StringComparison.Ordinal);
            Assert.EndsWith("init.mp4?token=a&b", (string)t.Attribute("initialization")!, StringComparison.Ordinal);
        });
        Assert.Equal("http://node.example/api/time", (string?)mpd.Element(Mpd + "UTCTiming")!.Attribute("value"));
    }

    [Fact]
    public void TheSessionQueryIsEscapedForXmlAndForTheTemplate()
    {
        var manifest = Manifest(new DashPeriod("0", 0, [Video(Segments(0, 180000, 1))]));

        var text = AsText(DashManifestWriter.Write(manifest, "t=a$b&c=\"d\""));

        // '$' doubled for the template, then '&' and '"' escaped for the attribute.
        Assert.Contains("initialization=\"video/init.mp4?t=a$$b&amp;c=&quot;d&quot;\" media=\"video/$Number$.m4s?t=a$$b&amp;c=&quot;d&quot;\"", text, StringComparison.Ordinal);
        Assert.Equal("video/$Number$.m4s?t=a$$b&c=\"d\"", (string?)XDocument.Parse(text).Descendants(Mpd + "SegmentTemplate").Single().Attribute("media"));
    }

    [Fact]
    public void ATemplateWithAQueryAlreadyGetsTheSessionQueryAfterAnAmpersand()
    {
        var video = Video(Segments(0, 180000, 1));
        var representation = video.Representations[0];
        video = video with { Representations = [representation with { SegmentTemplate = representation.SegmentTemplate with { Media = "$Time$.m4s?v=1" } }] };

        var text = AsText(DashManifestWriter.Write(Manifest(new DashPeriod("0", 0, [video])), "s=1"));

        Assert.Contains(" media=\"$Time$.m4s?v=1&amp;s=1\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ANominalDurationReplacesTheTimelineWhenThereIsNone()
    {
        var video = Video([]);
        var representation = video.Representations[0];
        video = video with { Representations = [representation with { SegmentTemplate = representation.SegmentTemplate with { Duration = 180000, PresentationTimeOffset = 90000 } }] };

        var text = AsText(DashManifestWriter.Write(Manifest(new DashPeriod("0", 0, [video]))));

        Assert.Contains("<SegmentTemplate timescale=\"90000\" initialization=\"video/init.mp4\" media=\"video/$Number$.m4s\" startNumber=\"5\" presentationTimeOffset=\"90000\" duration=\"180000\"/>\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("SegmentTimeline", text, StringComparison.Ordinal);
    }

    [Fact]
    public void AFractionalFrameRateIsWrittenAsAFraction()
    {
        var video = Video(Segments(0, 180000, 1));
        video = video with { Representations = [video.Representations[0] with { FrameRateNumerator = 30000, FrameRateDenominator = 1001 }] };

        Assert.Contains(" frameRate=\"30000/1001\">", AsText(DashManifestWriter.Write(Manifest(new DashPeriod("0", 0, [video])))), StringComparison.Ordinal);
    }

    [Fact]
    public void OptionalTopLevelAttributesAndTheTimeSourceAreLeftOutWhenNotGiven()
    {
        var manifest = new DashManifest(Start, Start.AddSeconds(1), 1500, [new DashPeriod("0", 0, [Video(Segments(0, 180000, 1))])]);

        var text = AsText(DashManifestWriter.Write(manifest));

        Assert.Contains("type=\"dynamic\" availabilityStartTime=\"2025-03-01T12:00:00.000Z\" publishTime=\"2025-03-01T12:00:01.000Z\" minBufferTime=\"PT1.5S\">\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("UTCTiming", text, StringComparison.Ordinal);
        XDocument.Parse(text);
    }
}
