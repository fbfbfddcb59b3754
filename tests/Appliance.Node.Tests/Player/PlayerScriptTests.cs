using System.Text;
using Appliance.Node.Config;
using Appliance.Node.Http;
using Appliance.Node.Player;
using Appliance.Node.Tests.Support;
using Appliance.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Appliance.Node.Tests.Player;

/// <summary>GET /player/{script}: the four scripts and nothing else; a missing directory; a reload.</summary>
public sealed class PlayerScriptTests : IDisposable
{
    private readonly PlayerDirectory _player = new();

    public void Dispose() => _player.Dispose();

    [Theory]
    [InlineData("hls.min.js")]
    [InlineData("dash.all.min.js")]
    [InlineData("mpegts.js")]
    [InlineData("player.js")]
    public async Task Each_script_is_served_with_its_bytes_type_and_cache_headers(string name)
    {
        using var server = new TestServer(c => c.Http.PlayerDir = _player.Path);
        var client = new HttpClientSide(server);

        var script = await client.RequestAsync("GET", $"/player/{name}?v=0123456789abcdef", Eventually.Deadline());

        Assert.Equal(200, script.Status);
        Assert.Equal(PlayerDirectory.ScriptText(name), script.BodyText);
        Assert.Equal("text/javascript; charset=utf-8", script.Header("Content-Type"));
        Assert.Equal("public, max-age=86400", script.Header("Cache-Control"));
        Assert.Equal("nosniff", script.Header("X-Content-Type-Options"));
        Assert.Matches("^\"[0-9a-f]{16}\"$", script.Header("ETag"));
    }

    [Fact]
    public async Task The_page_names_each_script_by_the_version_its_etag_carries()
    {
        using var server = new TestServer(c => c.Http.PlayerDir = _player.Path);
        var client = new HttpClientSide(server);
        var ct = Eventually.Deadline();

        var page = await client.RequestAsync("GET", "/live/cam.html", ct);
        var script = await client.RequestAsync("GET", "/player/player.js", ct);

        Assert.Contains($"/player/player.js?v={script.Header("ETag")!.Trim('"')}", page.BodyText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task If_none_match_with_the_etag_gets_304_without_a_body_and_head_gets_the_head_alone()
    {
        using var server = new TestServer(c => c.Http.PlayerDir = _player.Path);
        var client = new HttpClientSide(server);
        var ct = Eventually.Deadline();

        var first = await client.RequestAsync("GET", "/player/hls.min.js", ct);
        var etag = first.Header("ETag")!;
        var same = await client.RequestAsync("GET", "/player/hls.min.js", ct, $"If-None-Match: \"0000000000000000\", W/{etag}\r\n");
        var other = await client.RequestAsync("GET", "/player/hls.min.js", ct, "If-None-Match: \"0000000000000000\"\r\n");
        var head = await client.RequestAsync("HEAD", "/player/hls.min.js", ct);
        var after = await client.RequestAsync("GET", "/player/mpegts.js", ct);

        Assert.Equal(304, same.Status);
        Assert.Equal(etag, same.Header("ETag"));
        Assert.Null(same.Header("Content-Length"));
        Assert.Equal(200, other.Status);
        Assert.Equal(first.Body, other.Body);
        Assert.Equal(200, head.Status);
        Assert.Equal(first.Body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), head.Header("Content-Length"));
        Assert.Empty(head.Body);
        Assert.Equal(PlayerDirectory.ScriptText("mpegts.js"), after.BodyText);
    }

    /// <summary>Only the four names are served; dot segments are removed before routing and an encoded slash never splits a name.</summary>
    [Theory]
    [InlineData("/player/../secret.txt")]
    [InlineData("/player/../etc/passwd")]
    [InlineData("/player/%2e%2e/secret.txt")]
    [InlineData("/player/%2E%2E/%2E%2E/etc/passwd")]
    [InlineData("/player/..%2Fsecret.txt")]
    [InlineData("/player/..%2f..%2fetc%2fpasswd")]
    [InlineData("/player/%252e%252e/secret.txt")]
    [InlineData("/player/secret.txt")]
    [InlineData("/player/./secret.txt")]
    [InlineData("/player/")]
    [InlineData("/player/licenses/hls.js/LICENSE")]
    [InlineData("/player/hls.min.js/")]
    [InlineData("/player//hls.min.js")]
    [InlineData("/player/HLS.MIN.JS")]
    [InlineData("/player/hls.min.js%00")]
    [InlineData("/player/hls.min.js%2F..%2F..%2Fsecret.txt")]
    public async Task Any_other_path_under_player_is_refused_and_the_file_system_is_never_reached(string path)
    {
        using var server = new TestServer(c => c.Http.PlayerDir = _player.Path);
        var client = new HttpClientSide(server);

        var response = await client.RequestAsync("GET", path, Eventually.Deadline());

        Assert.True(response.Status is 404 or 400, $"{path}: {response.Status}");
        Assert.DoesNotContain(PlayerDirectory.Secret, response.BodyText, StringComparison.Ordinal);
        Assert.DoesNotContain("window.loaded_", response.BodyText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_directory_turns_the_page_off_with_one_log_line_and_404s_that_say_so()
    {
        var missing = Path.Combine(_player.Root, "nowhere");
        using var server = new TestServer(c => c.Http.PlayerDir = missing);
        var client = new HttpClientSide(server);
        var ct = Eventually.Deadline();

        var page = await client.RequestAsync("GET", "/live/cam.html", ct);
        var script = await client.RequestAsync("GET", "/player/hls.min.js", ct);
        var health = await client.RequestAsync("GET", "/api/health", ct);

        Assert.Equal(404, page.Status);
        Assert.Equal("player page not installed on this node\n", page.BodyText);
        Assert.Equal(404, script.Status);
        Assert.Equal("player page not installed on this node\n", script.BodyText);
        Assert.Equal(200, health.Status);
        var line = Assert.Single(server.Logs.Lines, l => l.Message.Contains("player page", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.Equal($"player page off, /{{app}}/{{stream}}.html and /player/ answer 404: no directory {missing} (http.playerDir)", line.Message);
    }

    [Fact]
    public async Task A_directory_missing_a_script_serves_none_of_them_and_the_log_names_the_missing_one()
    {
        File.Delete(Path.Combine(_player.Path, "mpegts.js"));
        using var server = new TestServer(c => c.Http.PlayerDir = _player.Path);
        var client = new HttpClientSide(server);

        var script = await client.RequestAsync("GET", "/player/hls.min.js", Eventually.Deadline());

        Assert.Equal(404, script.Status);
        Assert.Contains(server.Logs.Lines, l => l.Level == LogLevel.Warning && l.Message.Contains($"{_player.Path} has no mpegts.js", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_reload_reads_the_directory_again_so_scripts_installed_after_start_are_served()
    {
        using var empty = new PlayerDirectory(complete: false);
        using var server = new TestServer(c => c.Http.PlayerDir = empty.Path);
        var ct = Eventually.Deadline();
        var before = await new HttpClientSide(server).RequestAsync("GET", "/player/player.js", ct);

        empty.WriteScripts();
        var reloaded = new ApplianceConfig { Http = { PlayerDir = empty.Path } };
        server.Context.Apply(reloaded);
        var after = await new HttpClientSide(server).RequestAsync("GET", "/player/player.js", ct);

        Assert.Equal(404, before.Status);
        Assert.Equal(200, after.Status);
        Assert.Equal(PlayerDirectory.ScriptText("player.js"), after.BodyText);
        Assert.Contains(server.Logs.Lines, l => l.Level == LogLevel.Information && l.Message == $"player page on: 4 scripts from {empty.Path}");
    }

    [Fact]
    public async Task A_response_under_way_keeps_its_bytes_when_a_reload_replaces_the_files()
    {
        using var server = new TestServer(c => c.Http.PlayerDir = _player.Path);
        var old = server.Context.Player;
        Assert.True(old.TryGet("player.js", out var file));
        Assert.True(file.File.TryAddRef());

        File.WriteAllText(Path.Combine(_player.Path, "player.js"), "/* the next version */\n");
        server.Context.Apply(new ApplianceConfig { Http = { PlayerDir = _player.Path } });
        var served = await new HttpClientSide(server).RequestAsync("GET", "/player/player.js", Eventually.Deadline());

        Assert.Equal(PlayerDirectory.ScriptText("player.js"), Encoding.UTF8.GetString(file.File.Memory.Span));
        Assert.Equal("/* the next version */\n", served.BodyText);
        file.File.Release();
        Assert.Equal(0, file.File.RefCount);
    }

    [Fact]
    public async Task The_admin_listener_serves_no_player()
    {
        using var server = new TestServer(c => c.Http.PlayerDir = _player.Path);
        var client = new HttpClientSide(server, admin: true);

        var script = await client.RequestAsync("GET", "/player/player.js", Eventually.Deadline());

        Assert.Equal(404, script.Status);
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("\"a\"", true)]
    [InlineData("W/\"a\"", true)]
    [InlineData("\"b\", \"a\"", true)]
    [InlineData("*", true)]
    [InlineData("\"b\"", false)]
    [InlineData("a", false)]
    [InlineData("", false)]
    public void If_none_match_compares_entity_tags_weakly(string? header, bool matches)
    {
        Assert.Equal(matches, EntityTag.Matches(header, "\"a\""));
    }

    [Fact]
    public void An_empty_player_dir_is_share_appliance_player_beside_the_binary_directory()
    {
        var binary = Path.GetDirectoryName(Environment.ProcessPath)!;

        Assert.Equal(Path.GetFullPath(Path.Combine(binary, "..", "share", "appliance", "player")), PlayerFiles.Resolve(""));
        Assert.Equal("/opt/player", PlayerFiles.Resolve("/opt/player"));
    }
}
