using System.Text;
using Appliance.Node.ControlSocket;
using Appliance.Node.Hosting;
using Appliance.Node.Metrics;
using Appliance.Node.Tests.Packaging;
using Appliance.Node.Tests.Support;
using Appliance.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Appliance.Node.Tests.Renditions;

/// <summary>A rendition whose keyframes do not fall where the top rendition's do: left out, reported once, and back when it aligns.</summary>
public sealed class GroupAlignmentTests
{
    private static RenditionsServer WithOneMisaligned()
    {
        var node = new RenditionsServer();
        node.Publish("cam", keySize: 6000, interSize: 3000);
        node.Publish("cam_240p", keySize: 2400, interSize: 1200);
        // Keyframes 520 ms after the others': its segments start 520 ms late.
        node.Publish("cam_144p", keySize: 900, interSize: 400, keyOffsetMs: 520);
        return node;
    }

    private static List<LogLine> AlignmentLines(TestServer server) =>
        [.. server.Logs.Lines.Where(l => l.Message.StartsWith("rendition group default/live/cam:", StringComparison.Ordinal))];

    [Fact]
    public async Task A_misaligned_rendition_is_left_out_and_logged_once()
    {
        using var node = WithOneMisaligned();
        var client = node.Client();
        var ct = Eventually.Deadline();

        var index = await client.RequestAsync("GET", "/live/cam/index.m3u8", ct);
        await client.RequestAsync("GET", "/live/cam/index.m3u8", ct);
        node.Server.Context.Renditions.Sweep(node.Server.Config);
        node.Server.Context.Renditions.Sweep(node.Server.Config);

        Assert.Equal(["../cam_240p.m3u8", "../cam.m3u8"], CmafServer.Uris(index.BodyText));
        var line = Assert.Single(AlignmentLines(node.Server));
        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.Matches(@"^rendition group default/live/cam: cam_144p is not aligned with cam \(HLS segments: segment \d+ starts 520 ms from the top rendition's\); left out of the group's playlists and MPD until it is$", line.Message);
        // Still playable alone.
        Assert.Equal(200, (await client.RequestAsync("GET", "/live/cam_144p.m3u8", ct)).Status);
    }

    [Fact]
    public async Task Status_streams_and_metrics_show_the_misaligned_rendition()
    {
        using var node = WithOneMisaligned();
        await node.Client().RequestAsync("GET", "/live/cam.mpd", Eventually.Deadline());
        var admin = new TestNodeAdmin(node.Server);

        var streams = StreamReports.Streams(node.Server.Context).ToDictionary(s => s.Key);
        var status = StatusReports.From(NodeStatus.Capture(admin));
        var metrics = PrometheusText.Parse(Encoding.UTF8.GetString(NodeMetrics.Render(admin)));

        Assert.Equal(("cam", "top"), (streams["default/live/cam"].Group, streams["default/live/cam"].Rendition));
        Assert.Equal(("cam", "aligned"), (streams["default/live/cam_240p"].Group, streams["default/live/cam_240p"].Rendition));
        Assert.Equal(("cam", "misaligned"), (streams["default/live/cam_144p"].Group, streams["default/live/cam_144p"].Rendition));
        Assert.Matches(@"^segment \d+ starts 520 ms from the top rendition's$", streams["default/live/cam_144p"].RenditionDetail);
        Assert.Equal((1, 1), (status.RenditionGroups, status.MisalignedRenditions));
        Assert.Equal(1, metrics.Value("appliance_rendition_groups"));
        Assert.Equal(1, metrics.Value("appliance_rendition_misaligned", "group=\"default/live/cam\",rendition=\"cam_144p\",packaging=\"cmaf\""));
        Assert.Equal(0, metrics.Value("appliance_rendition_misaligned", "group=\"default/live/cam\",rendition=\"cam_240p\",packaging=\"cmaf\""));
    }

    [Fact]
    public async Task A_rendition_whose_keyframes_come_into_line_is_listed_again_with_one_line_saying_so()
    {
        using var node = WithOneMisaligned();
        var client = node.Client();
        var ct = Eventually.Deadline();
        await client.RequestAsync("GET", "/live/cam/index.m3u8", ct);

        node.Published["cam_144p"].KeyOffsetMs = 0;
        // Four whole segments on aligned keyframes: the compared ones all agree.
        node.PublishUntil(18_100);
        node.Server.Context.Renditions.Sweep(node.Server.Config);
        var index = await client.RequestAsync("GET", "/live/cam/index.m3u8", ct);

        Assert.Equal(["../cam_144p.m3u8", "../cam_240p.m3u8", "../cam.m3u8"], CmafServer.Uris(index.BodyText));
        var lines = AlignmentLines(node.Server);
        Assert.Equal(2, lines.Count);
        Assert.Equal(LogLevel.Information, lines[1].Level);
        Assert.Equal("rendition group default/live/cam: cam_144p is aligned with cam again (HLS segments); listed in the group", lines[1].Message);
    }

    [Fact]
    public async Task A_group_down_to_one_rendition_is_no_longer_reported()
    {
        using var node = WithOneMisaligned();
        await node.Client().RequestAsync("GET", "/live/cam/index.m3u8", Eventually.Deadline());
        Assert.NotEmpty(node.Server.Context.Renditions.Snapshot());

        node.Unpublish("cam_240p");
        node.Unpublish("cam_144p");
        node.Server.Context.Renditions.Sweep(node.Server.Config);

        Assert.Empty(node.Server.Context.Renditions.Snapshot());
        Assert.Null(StreamReports.Streams(node.Server.Context).Single().Group);
    }
}
