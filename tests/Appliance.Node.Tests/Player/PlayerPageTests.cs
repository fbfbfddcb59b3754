using System.Text.Json;
using Appliance.Auth.Config;
using Appliance.Node.Tests.Support;
using Appliance.Tests.Support;

namespace Appliance.Node.Tests.Player;

/// <summary>GET /{app}/{stream}.html: the player page, its outputs, the token it carries, what it escapes.</summary>
public sealed class PlayerPageTests : IDisposable
{
    private readonly PlayerDirectory _player = new();

    public void Dispose() => _player.Dispose();

    [Fact]
    public async Task The_page_lists_every_output_of_the_stream_relative_to_itself_and_loads_its_scripts_from_the_node()
    {
        using var server = new TestServer(c => c.Http.PlayerDir = _player.Path);
        var client = new HttpClientSide(server);

        var page = await client.RequestAsync("GET", "/live/cam.html", Eventually.Deadline());

        Assert.Equal(200, page.Status);
        Assert.Equal("text/html; charset=utf-8", page.Header("Content-Type"));
        Assert.Equal("no-cache, no-store", page.Header("Cache-Control"));
        Assert.StartsWith("default-src 'none'; script-src 'self'; connect-src 'self'; media-src 'self' blob:", page.Header("Content-Security-Policy"), StringComparison.Ordinal);
        Assert.Equal("no-referrer", page.Header("Referrer-Policy"));
        Assert.Contains("<title>live/cam - appliance player</title>", page.BodyText, StringComparison.Ordinal);
        var config = Config(page.BodyText);
        Assert.Equal("live/cam", config.GetProperty("stream").GetString());
        Assert.Equal(
            [
                ("flv", "mpegts", "./cam.flv"),
                ("hls", "hls", "./cam.m3u8"),
                ("cmaf", "hls", "./cam/cmaf.m3u8"),
                ("llhls", "hls", "./cam/llhls.m3u8"),
                ("dash", "dash", "./cam.mpd"),
                ("lldash", "dash", "./cam.mpd?ll=1"),
                ("ts", "mpegts", "./cam.ts"),
            ],
            Outputs(config).Select(o => (o.Id, o.Player, o.Url)));
        var scripts = config.GetProperty("scripts");
        Assert.Matches("^/player/hls\\.min\\.js\\?v=[0-9a-f]{16}$", scripts.GetProperty("hls").GetString());
        Assert.Matches("^/player/dash\\.all\\.min\\.js\\?v=[0-9a-f]{16}$", scripts.GetProperty("dash").GetString());
        Assert.Matches("^/player/mpegts\\.js\\?v=[0-9a-f]{16}$", scripts.GetProperty("mpegts").GetString());
        Assert.Matches("<script src=\"/player/player\\.js\\?v=[0-9a-f]{16}\"></script>", page.BodyText);
        Assert.DoesNotContain("http://", page.BodyText, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", page.BodyText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_query_of_the_page_is_carried_into_every_media_url()
    {
        using var server = new TestServer(c => c.Http.PlayerDir = _player.Path);
        var client = new HttpClientSide(server);

        var page = await client.RequestAsync("GET", "/live/cam.html?txSecret=0a1b2c&txTime=6a000000", Eventually.Deadline());

        Assert.Equal(200, page.Status);
        var urls = Outputs(Config(page.BodyText)).ToDictionary(o => o.Id, o => o.Url);
        Assert.Equal("./cam.flv?txSecret=0a1b2c&txTime=6a000000", urls["flv"]);
        Assert.Equal("./cam.m3u8?txSecret=0a1b2c&txTime=6a000000", urls["hls"]);
        Assert.Equal("./cam/cmaf.m3u8?txSecret=0a1b2c&txTime=6a000000", urls["cmaf"]);
        Assert.Equal("./cam/llhls.m3u8?txSecret=0a1b2c&txTime=6a000000", urls["llhls"]);
        Assert.Equal("./cam.mpd?txSecret=0a1b2c&txTime=6a000000", urls["dash"]);
        Assert.Equal("./cam.mpd?ll=1&txSecret=0a1b2c&txTime=6a000000", urls["lldash"]);
        Assert.Equal("./cam.ts?txSecret=0a1b2c&txTime=6a000000", urls["ts"]);
    }

    [Fact]
    public async Task An_app_without_hls_or_cmaf_offers_only_what_it_serves()
    {
        using var server = new TestServer(c =>
        {
            c.Http.PlayerDir = _player.Path;
            c.Domains[0].Apps[0].Hls.Enabled = false;
            c.Domains[0].Apps[0].Cmaf.Enabled = false;
        });
        var client = new HttpClientSide(server);

        var page = await client.RequestAsync("GET", "/live/cam.html", Eventually.Deadline());

        Assert.Equal(["flv", "ts"], Outputs(Config(page.BodyText)).Select(o => o.Id));
    }

    /// <summary>The page holds no media: served to anyone, while each stream URL it plays stays under the app's play rules.</summary>
    [Fact]
    public async Task The_page_of_a_protected_stream_is_served_without_a_token_and_its_media_are_not()
    {
        using var server = new TestServer(c =>
        {
            c.Http.PlayerDir = _player.Path;
            c.Domains[0].Apps[0].Auth.Play = new AuthRule { Scheme = AuthSchemes.StreamSecret, Key = "k" };
        });
        var client = new HttpClientSide(server);
        var ct = Eventually.Deadline();

        var page = await client.RequestAsync("GET", "/live/cam.html", ct);
        var media = await client.RequestAsync("GET", "/live/cam.m3u8", ct);

        Assert.Equal(200, page.Status);
        Assert.Equal(403, media.Status);
    }

    [Fact]
    public async Task A_stream_name_and_query_made_of_markup_come_out_escaped()
    {
        using var server = new TestServer(c => c.Http.PlayerDir = _player.Path);
        var client = new HttpClientSide(server);

        // The name "\"><img src=x onerror=alert(1)>", and a query that would end the config's script element.
        var page = await client.RequestAsync("GET", "/live/%22%3E%3Cimg%20src=x%20onerror=alert(1)%3E.html?a=</script><img>&b=\"'", Eventually.Deadline());

        Assert.Equal(200, page.Status);
        Assert.DoesNotContain("<img", page.BodyText, StringComparison.Ordinal);
        // The config's and player.js's own, no third.
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Count(page.BodyText, "</script>"));
        Assert.Contains("<title>live/&quot;&gt;&lt;img src=x onerror=alert(1)&gt; - appliance player</title>", page.BodyText, StringComparison.Ordinal);
        var config = Config(page.BodyText);
        Assert.Equal("live/\"><img src=x onerror=alert(1)>", config.GetProperty("stream").GetString());
        Assert.Equal("./%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E.flv?a=</script><img>&b=\"'", Outputs(config).First().Url);
    }

    /// <summary>The media URLs are relative, so the browser keeps the element in front of them (the page itself is not checked).</summary>
    [Fact]
    public async Task A_page_under_an_hmac_path_element_is_the_page_of_its_stream()
    {
        using var server = new TestServer(c => c.Http.PlayerDir = _player.Path);
        var client = new HttpClientSide(server);
        var element = "__token__=exp=1767312000~acl=/live/cam*~hmac=" + new string('a', 64);

        var page = await client.RequestAsync("GET", $"/{element}/live/cam.html", Eventually.Deadline());

        Assert.Equal(200, page.Status);
        var config = Config(page.BodyText);
        Assert.Equal("live/cam", config.GetProperty("stream").GetString());
        Assert.Equal("./cam.flv", Outputs(config).First().Url);
    }

    [Theory]
    [InlineData("/other/cam.html")]
    [InlineData("/live/.html")]
    [InlineData("/live/cam/index.html")]
    public async Task A_page_of_no_app_or_no_stream_name_is_404(string path)
    {
        using var server = new TestServer(c => c.Http.PlayerDir = _player.Path);
        var client = new HttpClientSide(server);

        var response = await client.RequestAsync("GET", path, Eventually.Deadline());

        Assert.Equal(404, response.Status);
        Assert.DoesNotContain("<html", response.BodyText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Head_gets_the_page_head_alone_and_the_connection_goes_on()
    {
        using var server = new TestServer(c => c.Http.PlayerDir = _player.Path);
        var client = new HttpClientSide(server);
        var ct = Eventually.Deadline();

        var head = await client.RequestAsync("HEAD", "/live/cam.html", ct);
        var get = await client.RequestAsync("GET", "/live/cam.html", ct);

        Assert.Equal(200, head.Status);
        Assert.Empty(head.Body);
        Assert.Equal(get.Body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), head.Header("Content-Length"));
        Assert.Equal(200, get.Status);
    }

    private static JsonElement Config(string html)
    {
        const string Open = "<script type=\"application/json\" id=\"player-config\">";
        var start = html.IndexOf(Open, StringComparison.Ordinal) + Open.Length;
        var end = html.IndexOf("</script>", start, StringComparison.Ordinal);
        return JsonDocument.Parse(html[start..end]).RootElement;
    }

    private static IEnumerable<(string Id, string Player, string Url)> Outputs(JsonElement config) =>
        config.GetProperty("outputs").EnumerateArray().Select(o => (o.GetProperty("id").GetString()!, o.GetProperty("player").GetString()!, o.GetProperty("url").GetString()!));
}
