using System.Text.Json;
using Appliance.Control.Contract;

namespace Appliance.Node.Tests.ControlSocket;

/// <summary>
/// A reload cannot move a bound listener: `config` shows the value in effect, and the keys whose
/// new value waits for a restart are listed until a restart or until the file goes back.
/// </summary>
public sealed class ReloadRestartBoundTests
{
    private const string RtmpListen = "\"rtmp\": { \"listen\": \"127.0.0.1:0\" }";

    [Fact]
    public async Task Config_shows_the_listener_in_effect_and_the_key_waiting_for_a_restart()
    {
        await using var node = await ControlHarness.StartAsync();
        await File.WriteAllTextAsync(node.ConfigPath, WithRtmpListen(node, "127.0.0.1:1"));

        var reload = await node.AskAsync(new ControlRequest { Command = "reload" });
        var config = await node.AskAsync(new ControlRequest { Command = "config" });

        Assert.True(reload.Ok, reload.Error);
        Assert.Equal($"reloaded {node.ConfigPath}; these keys keep their running value until a restart: rtmp.listen", reload.Message);
        Assert.Equal("127.0.0.1:0", config.Config!.Value.GetProperty("rtmp").GetProperty("listen").GetString());
        Assert.Equal(["rtmp.listen"], config.PendingRestart!);
        Assert.Equal("127.0.0.1:0", node.Server.Context.Config.Rtmp.Listen);
        Assert.True(node.Logs.Contains($"reloaded {node.ConfigPath}; these keys keep their running value until a restart: rtmp.listen"), node.Logs.Dump());
    }

    [Fact]
    public async Task A_later_reload_still_lists_the_key_and_a_file_put_back_clears_it()
    {
        await using var node = await ControlHarness.StartAsync();
        await File.WriteAllTextAsync(node.ConfigPath, WithRtmpListen(node, "127.0.0.1:1").Replace("\"name\": \"live\"", "\"name\": \"live\", \"gopCache\": false", StringComparison.Ordinal));
        Assert.True((await node.AskAsync(new ControlRequest { Command = "reload" })).Ok);

        var again = await node.AskAsync(new ControlRequest { Command = "reload" });

        Assert.Contains("until a restart: rtmp.listen", again.Message, StringComparison.Ordinal);
        Assert.Equal(["rtmp.listen"], (await node.AskAsync(new ControlRequest { Command = "config" })).PendingRestart!);
        // The reloadable key took effect at once, next to the one that waits.
        Assert.False(node.Server.Context.Config.Domains[0].Apps[0].GopCache);

        await File.WriteAllTextAsync(node.ConfigPath, ControlHarness.ConfigText(node.SocketPath));
        var back = await node.AskAsync(new ControlRequest { Command = "reload" });

        Assert.Equal($"reloaded {node.ConfigPath}", back.Message);
        Assert.Empty((await node.AskAsync(new ControlRequest { Command = "config" })).PendingRestart!);
    }

    [Fact]
    public async Task Config_without_a_pending_restart_lists_none()
    {
        await using var node = await ControlHarness.StartAsync();
        using var socket = node.Connect();

        var reply = await ControlHarness.AskAsync(socket, "{\"version\":1,\"command\":\"config\"}\n");

        Assert.Equal(JsonValueKind.Array, reply.GetProperty("pendingRestart").ValueKind);
        Assert.Equal(0, reply.GetProperty("pendingRestart").GetArrayLength());
    }

    [Fact]
    public async Task A_reload_that_would_make_listeners_overlap_is_refused_and_the_running_config_stays()
    {
        await using var node = await ControlHarness.StartAsync();
        var before = node.Server.Context.Config;
        await File.WriteAllTextAsync(node.ConfigPath, WithRtmpListen(node, "127.0.0.1:1935")
            .Replace("\"http\": { \"listen\": \"127.0.0.1:0\" }", "\"http\": { \"listen\": \"0.0.0.0:1935\" }", StringComparison.Ordinal));

        var reply = await node.AskAsync(new ControlRequest { Command = "reload" });

        Assert.False(reply.Ok);
        Assert.Contains("$.http.listen: port 1935 is already used by $.rtmp.listen ('127.0.0.1:1935')", reply.Error, StringComparison.Ordinal);
        Assert.Contains("running config stays", reply.Error, StringComparison.Ordinal);
        Assert.Same(before, node.Server.Context.Config);
        Assert.Empty(node.Server.PendingRestart);
    }

    [Fact]
    public async Task A_new_hls_key_secret_waits_for_a_restart_and_is_not_shown()
    {
        const string secret = "00112233445566778899aabbccddeeff";
        await using var node = await ControlHarness.StartAsync();
        await File.WriteAllTextAsync(node.ConfigPath, ControlHarness.ConfigText(node.SocketPath)
            .Replace("\"rtmp\":", $"\"security\": {{ \"hlsKeySecret\": \"{secret}\" }}, \"rtmp\":", StringComparison.Ordinal));

        var reload = await node.AskAsync(new ControlRequest { Command = "reload" });
        var config = await node.AskAsync(new ControlRequest { Command = "config" });

        Assert.True(reload.Ok, reload.Error);
        Assert.EndsWith("until a restart: security.hlsKeySecret", reload.Message, StringComparison.Ordinal);
        // Segments already cut were encrypted with keys from the running (here: no) secret.
        Assert.Null(node.Server.Context.Config.Security.HlsKeySecret);
        Assert.Null(node.Server.Context.Streams.HlsKeys);
        Assert.DoesNotContain(secret, config.Config!.Value.GetRawText(), StringComparison.Ordinal);
    }

    private static string WithRtmpListen(ControlHarness node, string listen)
    {
        var text = ControlHarness.ConfigText(node.SocketPath);
        Assert.Contains(RtmpListen, text, StringComparison.Ordinal);
        return text.Replace(RtmpListen, $"\"rtmp\": {{ \"listen\": \"{listen}\" }}", StringComparison.Ordinal);
    }
}
