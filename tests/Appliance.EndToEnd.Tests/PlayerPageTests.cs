using System.Text;
using Appliance.EndToEnd.Tests.Infrastructure;

namespace Appliance.EndToEnd.Tests;

/// <summary>
/// The AOT daemon's player routes over real sockets: the scripts `make build` put beside its
/// binary, with no http.playerDir set; paths that try to leave /player/; a daemon whose directory
/// is missing. (Playing the page in a browser: Browser/BrowserPlayerPageTests.)
/// </summary>
public sealed class PlayerPageTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>Where an empty http.playerDir points for this binary: artifacts/share/appliance/player after `make build`.</summary>
    private static string BuiltPlayer => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(RepoPaths.Daemon)!, "..", "share", "appliance", "player"));

    [Fact]
    public async Task The_daemon_serves_the_scripts_beside_its_binary_and_the_page_names_them()
    {
        await using var daemon = await DaemonProcess.StartAsync();

        Assert.True(daemon.HasLog(l => l.Contains($"player page on: 4 scripts from {BuiltPlayer}", StringComparison.Ordinal)), string.Join('\n', daemon.Lines));
        foreach (var name in new[] { "hls.min.js", "dash.all.min.js", "mpegts.js", "player.js" })
        {
            using var response = await Http.GetAsync(daemon.HttpUrl($"player/{name}"));
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(BuiltPlayer, name)), await response.Content.ReadAsByteArrayAsync());
        }
        var page = await Http.GetStringAsync(daemon.HttpUrl("live/cam.html?txSecret=ab&txTime=cd"));
        Assert.Contains("\"url\":\"./cam/cmaf.m3u8?txSecret=ab\\u0026txTime=cd\"", page, StringComparison.Ordinal);
    }

    /// <summary>Sent raw: an HTTP client library would remove the dot segments itself.</summary>
    [Theory]
    [InlineData("/player/../../../../etc/passwd")]
    [InlineData("/player/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd")]
    [InlineData("/player/..%2f..%2f..%2f..%2fetc%2fpasswd")]
    [InlineData("/player/%252e%252e/etc/passwd")]
    [InlineData("/player/licenses/hls.js/LICENSE")]
    [InlineData("/player/hls.min.js%00.txt")]
    public async Task A_path_that_tries_to_leave_player_gets_no_file(string path)
    {
        await using var daemon = await DaemonProcess.StartAsync();

        var response = await RawHttp.ExchangeAsync(daemon.HttpPort, Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"), TimeSpan.FromSeconds(10));

        Assert.Matches("^HTTP/1.1 (404|400) ", response);
        Assert.DoesNotContain("root:", response, StringComparison.Ordinal);
        Assert.DoesNotContain("Apache License", response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_daemon_without_its_player_directory_starts_says_so_once_and_answers_404()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"appliance-e2e-{Guid.NewGuid():N}-no-player");
        await using var daemon = await DaemonProcess.StartAsync(rootJson: $"\"http\": {{ \"listen\": \"127.0.0.1:0\", \"playerDir\": \"{missing}\" }},");

        using var page = await Http.GetAsync(daemon.HttpUrl("live/cam.html"));
        using var script = await Http.GetAsync(daemon.HttpUrl("player/player.js"));
        using var health = await Http.GetAsync(daemon.HttpUrl("api/health"));

        Assert.Equal(System.Net.HttpStatusCode.NotFound, page.StatusCode);
        Assert.Equal("player page not installed on this node\n", await page.Content.ReadAsStringAsync());
        Assert.Equal(System.Net.HttpStatusCode.NotFound, script.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode);
        var line = Assert.Single(daemon.Lines, l => l.Contains("player page", StringComparison.Ordinal));
        Assert.Contains($"player page off, /{{app}}/{{stream}}.html and /player/ answer 404: no directory {missing} (http.playerDir)", line, StringComparison.Ordinal);
    }
}
