using System.Text.RegularExpressions;
using Appliance.EndToEnd.Tests.Infrastructure;

namespace Appliance.EndToEnd.Tests;

/// <summary>What an operator sees when starting the daemon goes wrong.</summary>
public sealed partial class StartupTests
{
    [Fact]
    public async Task A_second_daemon_on_a_port_already_in_use_refuses_to_start_naming_the_listener_and_address()
    {
        await using var first = await DaemonProcess.StartAsync();
        var config = Path.Combine(Path.GetTempPath(), $"appliance-e2e-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(config, $$"""
            { "rtmp": { "listen": "127.0.0.1:{{first.RtmpPort}}" }, "http": { "listen": "127.0.0.1:0" }, "admin": { "listen": "" }, "control": { "socket": "off" } }
            """);
        try
        {
            var second = await ExternalProcess.RunAsync(TimeSpan.FromSeconds(20), RepoPaths.Daemon, "--config", config);

            Assert.Equal(1, second.ExitCode);
            Assert.Contains($"cannot start: rtmp.listen 127.0.0.1:{first.RtmpPort}: address already in use", second.Stdout + second.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Fact]
    public async Task A_bad_config_refuses_to_start_naming_the_key_path()
    {
        var config = Path.Combine(Path.GetTempPath(), $"appliance-e2e-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(config, """
            {
              // a typo and a bad value
              "rtmp": { "chunkSzie": 4096 },
            }
            """);
        try
        {
            var check = await ExternalProcess.RunAsync(TimeSpan.FromSeconds(20), RepoPaths.Daemon, "--check-config", config);
            var run = await ExternalProcess.RunAsync(TimeSpan.FromSeconds(20), RepoPaths.Daemon, "--config", config);

            Assert.Equal(1, check.ExitCode);
            Assert.Contains("$.rtmp.chunkSzie", check.Stderr, StringComparison.Ordinal);
            Assert.Equal(1, run.ExitCode);
            Assert.Contains("$.rtmp.chunkSzie", run.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Theory]
    [InlineData("""{ "rtmp": { "listen": "127.0.0.1:19350" }, "http": { "listen": "0.0.0.0:19350" } }""",
        "$.http.listen: port 19350 is already used by $.rtmp.listen ('127.0.0.1:19350') (line 1, column 64)")]
    [InlineData("""{ "http": { "listen": "127.0.0.1:18080" }, "admin": { "listen": "[::]:18080" } }""",
        "$.admin.listen: port 18080 is already used by $.http.listen ('127.0.0.1:18080') (line 1, column 65)")]
    [InlineData("""{ "domains": [ { "name": "default", "apps": [ { "name": "live", "hls": { "targetDurationMs": 2000, /* later */ "targetDurationMs": 4000, } } ] } ] }""",
        "$.domains[0].apps[0].hls.targetDurationMs: duplicate key")]
    [InlineData("{ \"rtmp\": { \"chunkSzie\": 4096 },\n  \"domains\": [ { \"apps\": [ { \"gopCache\": \"yes\" } ] } ] }",
        "$.rtmp.chunkSzie: unknown key; known keys here: listen, chunkSize, maxMessageBytes (line 1, column 13)\n" +
        "$.domains[0].apps[0].gopCache: must be true or false (line 2, column 42)")]
    public async Task Check_config_refuses_overlapping_listeners_duplicate_and_unknown_keys_naming_each_key_path_and_place(string json, string problem)
    {
        var config = Path.Combine(Path.GetTempPath(), $"appliance-e2e-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(config, json);
        try
        {
            var check = await ExternalProcess.RunAsync(TimeSpan.FromSeconds(20), RepoPaths.Daemon, "--check-config", config);

            Assert.Equal(1, check.ExitCode);
            Assert.Equal(string.Join('\n', problem.Split('\n').Select(line => $"{config}: {line}")), check.Stderr.Trim());
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Fact]
    public async Task Help_describes_the_node_as_it_is_and_lists_the_options_of_the_man_page()
    {
        var help = await ExternalProcess.RunAsync(TimeSpan.FromSeconds(20), RepoPaths.Daemon, "--help");
        var shortHelp = await ExternalProcess.RunAsync(TimeSpan.FromSeconds(20), RepoPaths.Daemon, "-h");
        var man = (await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "packaging", "man", "applianced.8"))).Replace(@"\-", "-", StringComparison.Ordinal);

        Assert.Equal(0, help.ExitCode);
        Assert.Equal(help.Stdout, shortHelp.Stdout);
        foreach (var part in new[] { "RTMP ingest", "pull", "push", "RTMP,", "HTTP-FLV", "HTTP-TS", "HLS" })
        {
            Assert.Contains(part, help.Stdout, StringComparison.Ordinal);
        }
        Assert.Equal(OptionsIn(ManSection(man, "SYNOPSIS") + ManSection(man, "OPTIONS")), OptionsIn(help.Stdout));
    }

    private static string ManSection(string man, string name)
    {
        var start = man.IndexOf($".SH {name}", StringComparison.Ordinal);
        Assert.True(start >= 0, $"the man page has no section {name}");
        var end = man.IndexOf(".SH ", start + 4, StringComparison.Ordinal);
        return man[start..(end < 0 ? man.Length : end)];
    }

    /// <summary>Every option spelled in a text (-c, --check-config), sorted, without repeats.</summary>
    private static string[] OptionsIn(string text) =>
        [.. Option().Matches(text).Select(m => m.Value).Distinct().Order(StringComparer.Ordinal)];

    [GeneratedRegex(@"(?<![\w-])--?[a-z][a-z-]*")]
    private static partial Regex Option();

    [Fact]
    public async Task Check_config_accepts_the_printed_default_and_help_lists_every_option()
    {
        var printed = await ExternalProcess.RunAsync(TimeSpan.FromSeconds(20), RepoPaths.Daemon, "--print-default");
        var config = Path.Combine(Path.GetTempPath(), $"appliance-e2e-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(config, printed.Stdout);
        try
        {
            var check = await ExternalProcess.RunAsync(TimeSpan.FromSeconds(20), RepoPaths.Daemon, "--check-config", config);
            var help = await ExternalProcess.RunAsync(TimeSpan.FromSeconds(20), RepoPaths.Daemon, "--help");

            Assert.Equal(0, check.ExitCode);
            Assert.Contains("\"listen\": \"0.0.0.0:1935\"", printed.Stdout, StringComparison.Ordinal);
            foreach (var option in new[] { "--config", "--check-config", "--print-default", "--help", "--version" })
            {
                Assert.Contains(option, help.Stdout, StringComparison.Ordinal);
            }
        }
        finally
        {
            File.Delete(config);
        }
    }
}
