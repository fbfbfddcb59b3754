using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Appliance.EndToEnd.Tests.Infrastructure;
using Appliance.Protocols.Rtmp;

namespace Appliance.EndToEnd.Tests.Packaging;

/// <summary>
/// packaging/appliance.json (installed as /etc/appliance/appliance.json) as the daemon takes it:
/// accepted by --check-config, and, run with only its listeners and paths moved for the test,
/// taking publishes from this machine alone while anyone may play.
/// </summary>
public sealed class PackagedConfigTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private static string PackagedConfig => Path.Combine(RepoPaths.Root, "packaging", "appliance.json");

    [Fact]
    public async Task Check_config_accepts_the_packaged_config()
    {
        var check = await ExternalProcess.RunAsync(Wait, RepoPaths.Daemon, "--check-config", PackagedConfig);

        Assert.True(check.ExitCode == 0, $"--check-config exited {check.ExitCode}:\n{check.Stdout}{check.Stderr}");
        Assert.Equal($"{PackagedConfig}: ok", check.Stdout.Trim());
    }

    /// <summary>
    /// 127.0.0.2 is this machine too (all of 127.0.0.0/8 is loopback), but the packaged list names
    /// 127.0.0.1 and ::1 only, so a client bound to it stands for any address not on the list.
    /// </summary>
    [Fact]
    public async Task The_packaged_config_takes_a_publish_from_127_0_0_1_refuses_one_from_127_0_0_2_and_lets_both_play()
    {
        var controlSocket = Path.Combine(Path.GetTempPath(), $"appliance-e2e-{Guid.NewGuid():N}.sock");
        var accessLog = Path.Combine(Path.GetTempPath(), $"appliance-e2e-{Guid.NewGuid():N}.log");
        try
        {
            await using var daemon = await DaemonProcess.StartOnConfigAsync(await PackagedCopyAsync(controlSocket, accessLog), controlSocket);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));

            await using var encoder = Ffmpeg.Publish(daemon.RtmpUrl("live/cam"));
            await StreamApi.WaitForFramesAsync(daemon, "cam", minFrames: 30, Wait);
            await using var elsewhere = await RtmpClients.ConnectFromAsync(IPAddress.Parse("127.0.0.2"), daemon.RtmpPort, "live", cts.Token);
            var refused = await Assert.ThrowsAsync<RtmpStatusException>(() => elsewhere.PublishAsync("other", cts.Token));
            await using var viewer = await RtmpClients.ConnectFromAsync(IPAddress.Parse("127.0.0.2"), daemon.RtmpPort, "live", cts.Token);
            await viewer.PlayAsync("cam", cts.Token);

            Assert.StartsWith("NetStream.Publish.BadName", refused.Message, StringComparison.Ordinal);
            await daemon.WaitForLogAsync(l => l.Contains("127.0.0.2", StringComparison.Ordinal) && l.Contains("IpDenied", StringComparison.Ordinal), Wait);
            Assert.Null(await StreamApi.FindAsync(daemon, "other"));
            Assert.True(await ReadsVideoAsync(viewer, cts.Token), "the viewer at 127.0.0.2 got no video");
        }
        finally
        {
            File.Delete(accessLog);
        }
    }

    /// <summary>The packaged file with the listeners on loopback ports the kernel picks and the service paths in the temp directory.</summary>
    private static async Task<string> PackagedCopyAsync(string controlSocket, string accessLog)
    {
        var config = JsonNode.Parse(await File.ReadAllTextAsync(PackagedConfig),
            documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })!;
        config["rtmp"]!["listen"] = "127.0.0.1:0";
        config["http"]!["listen"] = "127.0.0.1:0";
        config["admin"]!["listen"] = "127.0.0.1:0";
        config["control"]!["socket"] = controlSocket;
        config["log"]!["accessFile"] = accessLog;
        return config.ToJsonString();
    }

    private static async Task<bool> ReadsVideoAsync(RtmpClient viewer, CancellationToken ct)
    {
        while (await viewer.ReadMediaAsync(ct) is { } message)
        {
            var isVideo = message.TypeId == RtmpMessageType.Video;
            message.Payload.Release();
            if (isVideo)
            {
                return true;
            }
        }
        return false;
    }
}
