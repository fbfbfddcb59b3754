using Appliance.Node.Hosting;
using System.Text.Json;
using Appliance.Control.Contract;

namespace Appliance.Node.Tests.ControlSocket;

/// <summary>The control socket's commands against a real node (publishers and viewers are end-to-end tests).</summary>
public sealed class ControlCommandTests
{
    [Fact]
    public async Task Status_names_version_listeners_and_state()
    {
        await using var node = await ControlHarness.StartAsync();

        var reply = await node.AskAsync(new ControlRequest { Command = "status" });

        Assert.True(reply.Ok, reply.Error);
        Assert.Equal(ControlProtocol.Version, reply.Version);
        Assert.Equal(Appliance.Node.Hosting.ServerContext.Version, reply.Status!.Version);
        Assert.Equal("running", reply.Status.State);
        Assert.Equal(node.ConfigPath, reply.Status.ConfigPath);
        Assert.Equal(["rtmp", "http", "admin", "control"], reply.Status.Listeners.Select(l => l.Name));
        Assert.Contains(reply.Status.Listeners, l => l.Name == "control" && l.Address == node.SocketPath);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task The_socket_is_mode_0660()
    {
        await using var node = await ControlHarness.StartAsync();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite, File.GetUnixFileMode(node.SocketPath));
    }

    [Fact]
    public async Task Config_masks_auth_keys_and_keeps_everything_else()
    {
        await using var node = await ControlHarness.StartAsync();

        var reply = await node.AskAsync(new ControlRequest { Command = "config" });

        var text = reply.Config!.Value.GetRawText();
        Assert.DoesNotContain("play-secret-key", text, StringComparison.Ordinal);
        var play = reply.Config.Value.GetProperty("domains")[0].GetProperty("apps")[0].GetProperty("auth").GetProperty("play");
        Assert.Equal("*****", play.GetProperty("key").GetString());
        Assert.Equal("typeA", play.GetProperty("scheme").GetString());
        Assert.Equal(JsonValueKind.Null, play.GetProperty("backupKey").ValueKind);
    }

    [Fact]
    public async Task Kick_and_drop_of_unknown_targets_answer_errors()
    {
        await using var node = await ControlHarness.StartAsync();

        var kick = await node.AskAsync(new ControlRequest { Command = "kick", Session = 999_999 });
        var kickWithout = await node.AskAsync(new ControlRequest { Command = "kick" });
        var drop = await node.AskAsync(new ControlRequest { Command = "drop", Stream = "live/none" });
        var dropWithout = await node.AskAsync(new ControlRequest { Command = "drop" });

        Assert.False(kick.Ok);
        Assert.Equal("no session 999999", kick.Error);
        Assert.Contains("needs a session id", kickWithout.Error, StringComparison.Ordinal);
        Assert.Equal("no live stream 'live/none'", drop.Error);
        Assert.Contains("needs a stream", dropWithout.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reload_of_a_broken_file_keeps_the_running_config_and_names_the_key_path()
    {
        await using var node = await ControlHarness.StartAsync();
        var before = node.Server.Context.Config;
        await File.WriteAllTextAsync(node.ConfigPath, ControlHarness.ConfigText(node.SocketPath).Replace("\"rtmp\": { \"listen\": \"127.0.0.1:0\" }", "\"rtmp\": { \"listen\": \"127.0.0.1:0\", \"chunkSize\": 5 }", StringComparison.Ordinal));

        var reply = await node.AskAsync(new ControlRequest { Command = "reload" });

        Assert.False(reply.Ok);
        Assert.Contains("$.rtmp.chunkSize", reply.Error, StringComparison.Ordinal);
        Assert.Contains("running config stays", reply.Error, StringComparison.Ordinal);
        Assert.Same(before, node.Server.Context.Config);
    }

    [Fact]
    public async Task Reload_that_adds_an_app_makes_new_sessions_find_it()
    {
        await using var node = await ControlHarness.StartAsync();
        Assert.False(node.Server.Context.Domains.TryResolve(null, "sports", out _, out _));
        await File.WriteAllTextAsync(node.ConfigPath, ControlHarness.ConfigText(node.SocketPath, extraApps: "{ \"name\": \"sports\" }"));

        var reply = await node.AskAsync(new ControlRequest { Command = "reload" });

        Assert.True(reply.Ok, reply.Error);
        Assert.Equal($"reloaded {node.ConfigPath}", reply.Message);
        Assert.True(node.Server.Context.Domains.TryResolve(null, "sports", out _, out _));
    }

    [Fact]
    public async Task Reload_reports_settings_that_need_a_restart()
    {
        await using var node = await ControlHarness.StartAsync();
        await File.WriteAllTextAsync(node.ConfigPath, ControlHarness.ConfigText(node.SocketPath).Replace("\"http\": { \"listen\": \"127.0.0.1:0\" }", "\"http\": { \"listen\": \"127.0.0.1:1\" }", StringComparison.Ordinal));

        var reply = await node.AskAsync(new ControlRequest { Command = "reload" });

        Assert.True(reply.Ok, reply.Error);
        Assert.Contains("until a restart: http.listen", reply.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Drain_answers_at_once_and_signals_the_daemon_with_the_timeout()
    {
        await using var node = await ControlHarness.StartAsync();

        var bad = await node.AskAsync(new ControlRequest { Command = "drain", TimeoutSeconds = -1 });
        Assert.False(bad.Ok);
        Assert.False(node.Server.DrainRequested.IsCompleted);
        var reply = await node.AskAsync(new ControlRequest { Command = "drain", TimeoutSeconds = 7 });

        Assert.True(reply.Ok, reply.Error);
        Assert.Equal(TimeSpan.FromSeconds(7), await node.Server.DrainRequested.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Routes_is_empty_without_upstreams()
    {
        await using var node = await ControlHarness.StartAsync();

        var reply = await node.AskAsync(new ControlRequest { Command = "routes" });

        Assert.True(reply.Ok);
        Assert.Empty(reply.Routes!);
    }

    [Fact]
    public async Task Reload_without_a_config_file_says_there_is_nothing_to_reload()
    {
        var config = new Appliance.Node.Config.ApplianceConfig();
        config.Rtmp.Listen = config.Http.Listen = "127.0.0.1:0";
        config.Admin.Listen = "";
        config.Control.Socket = "off";
        using var logs = new Appliance.Tests.Support.LogCollector();
        using var loggers = new Microsoft.Extensions.Logging.LoggerFactory([logs]);
        await using var server = new Appliance.Node.Server.ApplianceServer(config, loggers, configPath: null);

        var reply = server.Reload();

        Assert.False(reply.Ok);
        Assert.Contains("embedded default config", reply.Error, StringComparison.Ordinal);
        // SIGHUP has no reply to read: the log is where an operator learns it.
        Assert.Single(logs.Lines, l => l.Level == Microsoft.Extensions.Logging.LogLevel.Warning && l.Message.Contains("nothing to reload", StringComparison.Ordinal));
    }
}
