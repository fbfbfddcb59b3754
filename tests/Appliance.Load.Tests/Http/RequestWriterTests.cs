using System.Text;
using Appliance.Load.Targets;
using Appliance.Load.Viewers.Http;

namespace Appliance.Load.Tests.Http;

public class RequestWriterTests
{
    private const string Tail = " HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: appliance-load\r\nAccept: */*\r\n\r\n";

    private static RequestWriter Writer()
    {
        Assert.True(StreamUrl.TryParse("http://127.0.0.1:8080/live/cam/llhls.m3u8?token=t", out var url, out var problem), problem);
        return new RequestWriter(url);
    }

    private static string Text(RequestWriter writer) => Encoding.ASCII.GetString(writer.Request.Span);

    [Theory]
    [InlineData("/live/cam/video-ll.m3u8", "video-3.4.m4s", "/live/cam/video-3.4.m4s")]
    [InlineData("/live/cam/video-ll.m3u8?hls_session=a", "video-3.4.m4s?hls_session=b", "/live/cam/video-3.4.m4s?hls_session=b")]
    [InlineData("/live/cam.mpd?ll=1", "cam/video-init-0a1b2c3d.mp4", "/live/cam/video-init-0a1b2c3d.mp4")]
    [InlineData("/live/cam/video-ll.m3u8", "/other/path.m4s", "/other/path.m4s")]
    [InlineData("/live/cam/video-ll.m3u8", "../x/a.m4s", "/live/x/a.m4s")]
    [InlineData("/live/cam/video-ll.m3u8", "./a.m4s", "/live/cam/a.m4s")]
    [InlineData("/live/cam/video-ll.m3u8", "http://127.0.0.1:8080/live/b.m4s", "/live/b.m4s")]
    [InlineData("/live/cam/video-ll.m3u8", "a b.m4s", "/live/cam/a%20b.m4s")]
    public void A_reference_resolves_against_the_document_that_named_it(string basePath, string reference, string expected)
    {
        var writer = Writer();

        Assert.Null(writer.Write(basePath, Encoding.ASCII.GetBytes(reference)));

        Assert.Equal($"GET {expected}{Tail}", Text(writer));
    }

    [Theory]
    [InlineData("http://10.0.0.1:8080/live/b.m4s")]
    [InlineData("//10.0.0.1:8080/live/b.m4s")]
    [InlineData("https://127.0.0.1:8080/live/b.m4s")]
    public void A_reference_to_another_server_is_refused(string reference)
    {
        var writer = Writer();

        Assert.Equal("a URI on another server", writer.Write("/live/cam/video-ll.m3u8", Encoding.ASCII.GetBytes(reference)));
    }

    [Theory]
    [InlineData(5, 3, "/live/cam/video-ll.m3u8", "/live/cam/video-ll.m3u8?_HLS_msn=5&_HLS_part=3")]
    [InlineData(5, -1, "/live/cam/video-ll.m3u8", "/live/cam/video-ll.m3u8?_HLS_msn=5")]
    [InlineData(12, 0, "/live/cam/video-ll.m3u8?hls_session=a", "/live/cam/video-ll.m3u8?hls_session=a&_HLS_msn=12&_HLS_part=0")]
    public void Blocking_directives_are_appended_to_the_query(long msn, int part, string path, string expected)
    {
        var writer = Writer();

        Assert.Null(writer.Write("/", Encoding.ASCII.GetBytes(path), msn: msn, part: part));

        Assert.Equal($"GET {expected}{Tail}", Text(writer));
    }

    [Theory]
    [InlineData("cam/video-$Number$.m4s", 1234, "/live/cam/video-1234.m4s")]
    [InlineData("cam/video-$Number%05d$.m4s", 12, "/live/cam/video-00012.m4s")]
    [InlineData("cam/a$$b-$Number$.m4s?x=$Number$", 7, "/live/cam/a$b-7.m4s?x=7")]
    public void Number_templates_are_expanded(string template, long number, string expected)
    {
        var writer = Writer();

        Assert.Null(writer.Write("/live/cam.mpd", Encoding.ASCII.GetBytes(template), number: number));

        Assert.Equal($"GET {expected}{Tail}", Text(writer));
    }

    [Theory]
    [InlineData("cam/$RepresentationID$/$Number$.m4s")]
    [InlineData("cam/$Time$.m4s")]
    [InlineData("cam/video-$Number.m4s")]
    [InlineData("cam/video-$Number%5x$.m4s")]
    public void A_template_with_other_identifiers_is_refused(string template)
    {
        var writer = Writer();

        Assert.Equal("a URI template with other identifiers than $Number$", writer.Write("/live/cam.mpd", Encoding.ASCII.GetBytes(template), number: 1));
    }

    [Fact]
    public void A_player_s_requests_carry_its_own_user_agent()
    {
        Assert.True(StreamUrl.TryParse("http://127.0.0.1:8080/live/cam.mpd", out var url, out _));
        var writer = new RequestWriter(url, player: 17);

        writer.Write("/live/cam.mpd", "cam/a.m4s"u8);

        // The process id too: two load tools on one stream must not share HLS sessions.
        Assert.Equal($"GET /live/cam/a.m4s HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: appliance-load/{Environment.ProcessId}-17\r\nAccept: */*\r\n\r\n", Text(writer));
    }

    [Fact]
    public void The_buffer_is_reused_and_holds_only_the_last_request()
    {
        var writer = Writer();
        writer.Write("/live/cam/video-ll.m3u8", Encoding.ASCII.GetBytes(new string('a', 2000) + ".m4s"));

        writer.Write("/live/cam/video-ll.m3u8", "b.m4s"u8);

        Assert.Equal($"GET /live/cam/b.m4s{Tail}", Text(writer));
    }
}
