using System.Text;
using Appliance.Load.Viewers.Dash;

namespace Appliance.Load.Tests.Dash;

public class MpdTests
{
    // As the node writes /live/cam.mpd?ll=1 (abridged): the segment in progress is the last listed.
    private const string LowLatency = """
        <?xml version="1.0" encoding="UTF-8"?>
        <MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="dynamic" availabilityStartTime="2026-12-06T16:10:18.077Z" minimumUpdatePeriod="PT0.22S" timeShiftBufferDepth="PT8S" suggestedPresentationDelay="PT1.5S" maxSegmentDuration="PT2S" minBufferTime="PT0.66S">
          <!-- a comment with <tags> -->
          <Period id="p0" start="PT0S">
            <AdaptationSet id="0" contentType="video" mimeType="video/mp4" segmentAlignment="true" startWithSAP="1">
              <Representation id="video" codecs="avc1.64001f" bandwidth="2949540" width="1280" height="720">
                <SegmentTemplate timescale="90000" initialization="cam/video-init-99b34760.mp4?s=a&amp;t=b" media="cam/video-$Number$.m4s?s=a&amp;t=b" startNumber="40" availabilityTimeOffset="1.78" availabilityTimeComplete="false">
                  <SegmentTimeline>
                    <S t="3600000" d="180000" r="3"/>
                    <S d="90000"/>
                  </SegmentTimeline>
                </SegmentTemplate>
              </Representation>
            </AdaptationSet>
            <AdaptationSet id="1" contentType="audio" mimeType="audio/mp4">
              <Representation id="audio" codecs="mp4a.40.2" bandwidth="135118" audioSamplingRate="48000">
                <SegmentTemplate timescale='48000' initialization='cam/audio-init-e1f579d3.mp4' media='cam/audio-$Number$.m4s' startNumber='40'>
                  <SegmentTimeline><S t="1920000" d="96000" r="4"/></SegmentTimeline>
                </SegmentTemplate>
              </Representation>
            </AdaptationSet>
          </Period>
          <UTCTiming schemeIdUri="urn:mpeg:dash:utc:http-iso:2014" value="/api/time"/>
        </MPD>
        """;

    private static Mpd Read(string text, out string? problem)
    {
        var mpd = new Mpd();
        mpd.Write(Encoding.UTF8.GetBytes(text));
        problem = mpd.Parse();
        return mpd;
    }

    [Fact]
    public void A_low_latency_mpd_gives_its_tracks_templates_and_timeline()
    {
        var mpd = Read(LowLatency, out var problem);

        Assert.Null(problem);
        Assert.True(mpd.Dynamic);
        Assert.True(mpd.LowLatency);
        Assert.Equal(220, mpd.MinimumUpdatePeriodMs, 6);
        Assert.Equal(1500, mpd.SuggestedPresentationDelayMs, 6);
        Assert.Equal(2000, mpd.MaxSegmentDurationMs, 6);
        Assert.Equal(1, mpd.Periods);
        var video = mpd.Track(MpdContent.Video)!;
        Assert.Equal(90000, video.Timescale);
        Assert.Equal(40, video.StartNumber);
        Assert.Equal(5, video.Segments);
        Assert.Equal(44, video.LastNumber);
        Assert.False(video.AvailabilityTimeComplete);
        Assert.Equal("cam/video-init-99b34760.mp4?s=a&t=b", Encoding.ASCII.GetString(mpd.InitOf(video)));
        Assert.Equal("cam/video-$Number$.m4s?s=a&t=b", Encoding.ASCII.GetString(mpd.MediaOf(video)));
        var audio = mpd.Track(MpdContent.Audio)!;
        Assert.Equal(48000, audio.Timescale);
        Assert.Equal(44, audio.LastNumber);
        Assert.True(audio.AvailabilityTimeComplete);
        Assert.Equal("cam/audio-$Number$.m4s", Encoding.ASCII.GetString(mpd.MediaOf(audio)));
    }

    [Fact]
    public void A_player_starts_at_the_segment_holding_the_delay_behind_the_edge()
    {
        var video = Read(LowLatency, out _).Track(MpdContent.Video)!;

        // Timeline: 40..43 of 2 s from 40 s, 44 of 1 s: the edge is at 49 s.
        Assert.Equal(44, video.NumberAt(500));
        Assert.Equal(43, video.NumberAt(1500));
        Assert.Equal(41, video.NumberAt(6000));
        Assert.Equal(40, video.NumberAt(60_000));
    }

    [Fact]
    public void Only_the_last_period_is_kept()
    {
        var text = LowLatency.Replace("<Period id=\"p0\" start=\"PT0S\">", "<Period id=\"p0\"><AdaptationSet contentType=\"video\"><SegmentTemplate media=\"old-$Number$.m4s\"/></AdaptationSet></Period><Period id=\"p1\">", StringComparison.Ordinal);

        var mpd = Read(text, out var problem);

        Assert.Null(problem);
        Assert.Equal(2, mpd.Periods);
        Assert.Equal("cam/video-$Number$.m4s?s=a&t=b", Encoding.ASCII.GetString(mpd.MediaOf(mpd.Track(MpdContent.Video)!)));
        Assert.Equal(2, mpd.Tracks.Count());
    }

    [Fact]
    public void The_first_representation_s_template_is_the_one_played()
    {
        var text = LowLatency.Replace("</Representation>\n      </AdaptationSet>\n      <AdaptationSet id=\"1\"", "</Representation><Representation id=\"low\"><SegmentTemplate media=\"low-$Number$.m4s\" startNumber=\"1\"><SegmentTimeline><S d=\"1\"/></SegmentTimeline></SegmentTemplate></Representation>\n      </AdaptationSet>\n      <AdaptationSet id=\"1\"", StringComparison.Ordinal);

        var mpd = Read(text, out var problem);

        Assert.Null(problem);
        var video = mpd.Track(MpdContent.Video)!;
        Assert.Equal(5, video.Segments);
        Assert.Equal("cam/video-$Number$.m4s?s=a&t=b", Encoding.ASCII.GetString(mpd.MediaOf(video)));
    }

    [Fact]
    public void A_static_mpd_and_a_content_type_from_the_mime_type()
    {
        var mpd = Read("<MPD type=\"static\"><Period><AdaptationSet mimeType=\"audio/mp4\"><SegmentTemplate media=\"a-$Number$.m4s\"><SegmentTimeline><S d=\"10\" r=\"-1\"/></SegmentTimeline></SegmentTemplate></AdaptationSet></Period></MPD>", out var problem);

        Assert.Null(problem);
        Assert.False(mpd.Dynamic);
        Assert.False(mpd.LowLatency);
        Assert.Equal(-1, mpd.MinimumUpdatePeriodMs);
        var audio = mpd.Track(MpdContent.Audio)!;
        Assert.Equal(1, audio.StartNumber);
        Assert.Equal(1, audio.Segments);
        Assert.Null(mpd.Track(MpdContent.Video));
    }

    [Theory]
    [InlineData("<html/>", "no MPD element")]
    [InlineData("<MPD><!-- open", "a comment or declaration that does not end")]
    [InlineData("<MPD type=\"dynamic\"", "a start tag that does not end")]
    [InlineData("<MPD type=dynamic>", "an unquoted or unterminated attribute in a Mpd element")]
    [InlineData("<MPD type>", "an attribute without a value in a Mpd element")]
    [InlineData("<MPD minimumUpdatePeriod=\"2 seconds\">", "a bad minimumUpdatePeriod")]
    [InlineData("<MPD><Period><AdaptationSet contentType=\"video\"><SegmentTemplate media=\"a\"><SegmentTimeline><S t=\"0\"/>", "an S element without d")]
    [InlineData("<MPD><Period><AdaptationSet contentType=\"video\"><SegmentTemplate media=\"a\"><SegmentTimeline><S d=\"0\"/>", "an S element with d=\"0\"")]
    [InlineData("<MPD><Period><AdaptationSet contentType=\"video\"><SegmentTemplate media=\"a\"><SegmentTimeline><S d=\"-5\"/>", "a bad S@d")]
    [InlineData("<MPD><Period><AdaptationSet contentType=\"video\"><SegmentTemplate timescale=\"0\" media=\"a\"/>", "timescale=\"0\"")]
    [InlineData("<MPD><Period><AdaptationSet contentType=\"video\"><SegmentTemplate startNumber=\"x\" media=\"a\"/>", "a bad startNumber")]
    [InlineData("<MPD><Period><AdaptationSet contentType=\"video\"><SegmentTemplate initialization=\"i.mp4\"/>", "a SegmentTemplate without a media attribute")]
    [InlineData("<MPD></MPD", "an end tag that does not end")]
    public void An_mpd_it_cannot_follow_is_refused_saying_why(string text, string expected)
    {
        Read(text, out var problem);

        Assert.Equal(expected, problem);
    }

    [Theory]
    [InlineData("PT2S", 2000)]
    [InlineData("PT0.22S", 220)]
    [InlineData("PT1M30.5S", 90_500)]
    [InlineData("PT1H", 3_600_000)]
    [InlineData("P1DT1S", 86_401_000)]
    [InlineData("PT0S", 0)]
    public void Durations_are_read_as_xs_duration(string text, double ms)
    {
        Assert.Equal(ms, Mpd.Duration(Encoding.ASCII.GetBytes(text), "x"u8, out var problem), 6);
        Assert.Null(problem);
    }

    [Theory]
    [InlineData("2S")]
    [InlineData("PT")]
    [InlineData("PT2")]
    [InlineData("P2S")]
    [InlineData("PT2D")]
    [InlineData("PT-1S")]
    public void A_duration_it_cannot_read_is_refused(string text)
    {
        Mpd.Duration(Encoding.ASCII.GetBytes(text), "x"u8, out var problem);

        Assert.Equal("a bad x", problem);
    }

    [Theory]
    [InlineData("a&amp;b", "a&b")]
    [InlineData("&lt;&gt;&quot;&apos;", "<>\"'")]
    [InlineData("&#65;&#x42;", "AB")]
    [InlineData("&unknown;&#x263A;&", "&unknown;&#x263A;&")]
    public void Entities_are_decoded_in_place(string text, string expected)
    {
        var bytes = Encoding.ASCII.GetBytes(text);

        var length = Mpd.Decode(bytes);

        Assert.Equal(expected, Encoding.ASCII.GetString(bytes, 0, length));
    }
}
