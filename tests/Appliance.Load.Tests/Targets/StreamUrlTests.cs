using Appliance.Load.Targets;

namespace Appliance.Load.Tests.Targets;

public class StreamUrlTests
{
    [Theory]
    [InlineData("http://127.0.0.1:8080/live/cam/llhls.m3u8", "LlHls")]
    [InlineData("http://127.0.0.1:8080/live/cam/video-ll.m3u8?hls_session=x", "LlHls")]
    [InlineData("http://127.0.0.1:8080/live/cam/audio-ll.m3u8", "LlHls")]
    [InlineData("http://127.0.0.1:8080/live/cam.m3u8", "Hls")]
    [InlineData("http://127.0.0.1:8080/live/cam/cmaf.m3u8", "Hls")]
    [InlineData("http://127.0.0.1:8080/live/cam.mpd", "Dash")]
    [InlineData("http://127.0.0.1:8080/live/cam.mpd?ll=1", "Dash")]
    public void The_name_says_which_player(string text, string protocol)
    {
        Assert.True(StreamUrl.TryParse(text, out var url, out var problem), problem);

        Assert.Equal(Enum.Parse<StreamProtocol>(protocol), url.Protocol);
    }

    [Fact]
    public void An_unknown_extension_is_refused_naming_the_kinds()
    {
        Assert.False(StreamUrl.TryParse("http://127.0.0.1:8080/live/cam.mp4", out _, out var problem));

        Assert.Contains(".mpd (DASH)", problem, StringComparison.Ordinal);
        Assert.Contains("LL-HLS when named llhls.m3u8 or *-ll.m3u8", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_players_requests_carry_its_own_user_agent_so_the_node_counts_it_as_a_session()
    {
        Assert.True(StreamUrl.TryParse("http://127.0.0.1:8080/live/cam.m3u8", out var url, out var problem), problem);

        Assert.Equal(
            $"GET /live/cam/1.ts HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: appliance-load/{Environment.ProcessId}-42\r\nAccept: */*\r\n\r\n",
            System.Text.Encoding.ASCII.GetString(url.GetRequest("/live/cam/1.ts", keepAlive: true, player: 42)));
        Assert.Contains("User-Agent: appliance-load\r\n", System.Text.Encoding.ASCII.GetString(url.HttpRequest), StringComparison.Ordinal);
    }
}
