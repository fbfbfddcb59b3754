using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Appliance.EndToEnd.Tests.Infrastructure;

namespace Appliance.EndToEnd.Tests.Renditions;

/// <summary>
/// ffmpeg publishes cam (640x360), cam_240p and cam_144p with keyframes at the same frames; the
/// node groups them by the app's labels: one multivariant playlist per protocol and one MPD, with
/// what each rendition measures, and every rendition still playable on its own.
/// </summary>
public sealed partial class RenditionsTests(RenditionsFixture live) : IClassFixture<RenditionsFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(40);

    private DaemonProcess Daemon => live.Daemon;

    [GeneratedRegex(@"#EXT-X-STREAM-INF:BANDWIDTH=(\d+),AVERAGE-BANDWIDTH=(\d+),CODECS=""([^""]+)"",RESOLUTION=(\d+)x(\d+),FRAME-RATE=([\d.]+)(?:,AUDIO=""[^""]+"")?\n([^\n]+)\n")]
    private static partial Regex StreamInf();

    internal sealed record Variant(long Bandwidth, long AverageBandwidth, string Codecs, int Width, int Height, double FrameRate, string Uri);

    internal static List<Variant> Variants(string multivariant) =>
        [.. StreamInf().Matches(multivariant).Select(m => new Variant(
            long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), m.Groups[3].Value,
            int.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[5].Value, CultureInfo.InvariantCulture),
            double.Parse(m.Groups[6].Value, CultureInfo.InvariantCulture), m.Groups[7].Value))];

    [Fact]
    public async Task The_hls_multivariant_lists_the_three_renditions_with_their_resolution_codecs_and_measured_bandwidth()
    {
        using var cts = new CancellationTokenSource(Wait);

        var index = await Hls.GetAsync(Daemon, "/live/cam/index.m3u8", cts.Token);

        Assert.Equal(200, index.Status);
        var variants = Variants(index.Text);
        Assert.Equal(["../cam_144p.m3u8", "../cam_240p.m3u8", "../cam.m3u8"], variants.Select(v => v.Uri));
        Assert.Equal([(256, 144), (426, 240), (640, 360)], variants.Select(v => (v.Width, v.Height)));
        Assert.All(variants, v => Assert.Equal(25.0, v.FrameRate));
        foreach (var variant in variants)
        {
            var name = variant.Uri[3..^5];
            // The codecs of the stream itself, as ffprobe reads them: its H.264 profile and level, and AAC-LC.
            var (profile, level) = await H264ProfileAsync(Daemon.HttpUrl($"live/{name}.m3u8"));
            Assert.Matches($"^avc1\\.{profile:x2}[0-9a-f]{{2}}{level:x2},mp4a\\.40\\.2$", variant.Codecs);
            var (measured, segments) = await MeasuredRateAsync(Daemon, $"/live/{name}.m3u8", cts.Token);
            Assert.True(segments >= 3, $"{name}: only {segments} segments listed");
            Assert.InRange(variant.Bandwidth, measured * 0.8, measured * 1.2);
            Assert.InRange(variant.AverageBandwidth, measured * 0.8, measured * 1.2);
        }
    }

    [Fact]
    public async Task Every_renditions_playlist_has_the_same_segment_numbers_and_durations()
    {
        using var cts = new CancellationTokenSource(Wait);
        Assert.Equal(200, (await Hls.GetAsync(Daemon, "/live/cam/index.m3u8", cts.Token)).Status);

        // Three requests cannot be one instant: read until no segment completed in between.
        List<HlsPlaylist> lists;
        do
        {
            lists = [];
            foreach (var name in new[] { "cam", "cam_240p", "cam_144p" })
            {
                lists.Add(HlsPlaylist.Parse((await Hls.GetAsync(Daemon, $"/live/{name}.m3u8", cts.Token)).Text));
            }
        }
        while (lists.Select(l => l.Entries[^1].Sequence).Distinct().Count() > 1 && !cts.IsCancellationRequested);

        var top = lists[0].Entries.Select(e => (e.Sequence, e.Duration)).ToList();
        Assert.True(top.Count >= 3, lists[0].Text);
        // An hour in, 2 s segments: numbers come from media time.
        Assert.InRange(top[0].Sequence, 1800, 1900);
        Assert.Equal(top, lists[1].Entries.Select(e => (e.Sequence, e.Duration)));
        Assert.Equal(top, lists[2].Entries.Select(e => (e.Sequence, e.Duration)));
    }

    [Theory]
    [InlineData("cam", 640, 360)]
    [InlineData("cam_240p", 426, 240)]
    [InlineData("cam_144p", 256, 144)]
    public async Task Ffprobe_reads_each_rendition_alone(string name, int width, int height)
    {
        var probe = await Ffmpeg.ProbeAsync(Daemon.HttpUrl($"live/{name}.m3u8"), seconds: 4, Wait);

        Assert.Equal(("h264", width, height), (probe.Video.CodecName, probe.Video.Width, probe.Video.Height));
        Assert.Equal("aac", probe.Audio.CodecName);
        Assert.True(probe.PacketsOf(probe.Video)[0].Key, "the first video packet is not a keyframe");
        Assert.Empty(FfmpegPlayback.ErrorLines(probe.Errors));
    }

    [Fact]
    public async Task The_mpd_has_three_representations_in_one_video_adaptation_set_and_ffprobe_sees_them()
    {
        using var cts = new CancellationTokenSource(Wait);

        var mpd = await Hls.GetAsync(Daemon, "/live/cam.mpd", cts.Token);

        Assert.Equal(200, mpd.Status);
        Assert.Single(Regex.Matches(mpd.Text, "contentType=\"video\""));
        var representations = Regex.Matches(mpd.Text, "<Representation id=\"(cam[^\"]*)\"[^>]* width=\"(\\d+)\" height=\"(\\d+)\"")
            .Select(m => (m.Groups[1].Value, int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture)));
        Assert.Equal([("cam_144p", 256, 144), ("cam_240p", 426, 240), ("cam", 640, 360)], representations);
        var probe = await ProbeStreamsAsync(Daemon.HttpUrl("live/cam.mpd"));
        Assert.Equal([(256, 144), (426, 240), (640, 360)], probe.Where(s => s.CodecType == "video").Select(s => (s.Width, s.Height)).Order());
        Assert.Single(probe, s => s.CodecType == "audio");
    }

    [Fact]
    public async Task The_cmaf_playlists_share_the_top_renditions_audio_and_each_ll_playlist_reports_the_others()
    {
        using var cts = new CancellationTokenSource(Wait);

        var multivariant = await Hls.GetAsync(Daemon, "/live/cam/llhls.m3u8", cts.Token);
        var playlist = await Hls.GetAsync(Daemon, "/live/cam_240p/video-ll.m3u8", cts.Token);

        Assert.Equal(200, multivariant.Status);
        Assert.Equal(["../cam_144p/video-ll.m3u8", "../cam_240p/video-ll.m3u8", "../cam/video-ll.m3u8"], Variants(multivariant.Text).Select(v => v.Uri));
        Assert.Single(Regex.Matches(multivariant.Text, "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"audio\",[^\n]*URI=\"../cam/audio-ll.m3u8\""));
        Assert.Equal(3, Regex.Matches(multivariant.Text, "AUDIO=\"audio\"\n").Count);
        Assert.Equal(200, playlist.Status);
        Assert.Matches("#EXT-X-RENDITION-REPORT:URI=\"../cam/video-ll.m3u8\",LAST-MSN=\\d+,LAST-PART=\\d+\n", playlist.Text);
        Assert.Matches("#EXT-X-RENDITION-REPORT:URI=\"../cam_144p/video-ll.m3u8\",LAST-MSN=\\d+,LAST-PART=\\d+\n", playlist.Text);
    }

    [Fact]
    public async Task Appliancectl_streams_shows_each_rendition_in_its_group()
    {
        using var cts = new CancellationTokenSource(Wait);
        Assert.Equal(200, (await Hls.GetAsync(Daemon, "/live/cam/index.m3u8", cts.Token)).Status);

        var streams = (await Appliancectl.JsonAsync(Daemon, "streams")).GetProperty("streams").EnumerateArray()
            .ToDictionary(s => s.GetProperty("key").GetString()!, s => (s.GetProperty("group").GetString(), s.GetProperty("rendition").GetString()));
        var table = await Appliancectl.RunAsync(Daemon, "streams");

        Assert.Equal(("cam", "top"), streams["default/live/cam"]);
        Assert.Equal(("cam", "aligned"), streams["default/live/cam_240p"]);
        Assert.Equal(("cam", "aligned"), streams["default/live/cam_144p"]);
        Assert.Contains("cam (aligned)", table.Stdout, StringComparison.Ordinal);
        Assert.False(Daemon.HasLog(l => l.Contains("is not aligned with", StringComparison.Ordinal)), "a rendition was reported misaligned");
    }

    [Fact]
    public async Task An_edge_with_the_same_rule_pulls_every_rendition_and_serves_the_same_group()
    {
        await using var edge = await DaemonProcess.StartAsync(
            appJson: Infrastructure.Tiers.PullingApp([Infrastructure.Tiers.Rtmp(Daemon)], more: RenditionsFixture.Rule),
            rootJson: Infrastructure.Tiers.Node("edge"));
        using var cts = new CancellationTokenSource(Wait);
        var origin = await Hls.GetAsync(Daemon, "/live/cam/index.m3u8", cts.Token);

        var index = await Hls.GetAsync(edge, "/live/cam/index.m3u8", cts.Token);
        var mpd = await Hls.GetAsync(edge, "/live/cam.mpd", cts.Token);

        Assert.Equal(200, index.Status);
        var atEdge = RenditionsTests.Variants(index.Text);
        var atOrigin = RenditionsTests.Variants(origin.Text);
        Assert.Equal(atOrigin.Select(v => (v.Uri, v.Codecs, v.Width, v.Height)), atEdge.Select(v => (v.Uri, v.Codecs, v.Width, v.Height)));
        Assert.Equal(3, atEdge.Count);
        Assert.Equal(200, mpd.Status);
        Assert.Equal(["cam_144p", "cam_240p", "cam"], Regex.Matches(mpd.Text, "<Representation id=\"(cam[^\"]*)\"").Select(m => m.Groups[1].Value));
        var pulled = (await Appliancectl.JsonAsync(edge, "streams")).GetProperty("streams").EnumerateArray()
            .Select(s => (s.GetProperty("key").GetString(), s.GetProperty("sourceKind").GetString())).Order();
        Assert.Equal([("default/live/cam", "pull"), ("default/live/cam_144p", "pull"), ("default/live/cam_240p", "pull")], pulled);
        var probe = await Ffmpeg.ProbeAsync(edge.HttpUrl("live/cam_144p.m3u8"), seconds: 3, Wait);
        Assert.Equal((256, 144), (probe.Video.Width, probe.Video.Height));
    }

    [Fact]
    public async Task An_edge_asks_its_parents_for_a_rendition_they_lack_once_in_10_s_and_serves_the_rest()
    {
        // The edge's rule names a 90p rendition nobody publishes; its pulls give up after 1 s.
        await using var edge = await DaemonProcess.StartAsync(
            appJson: Infrastructure.Tiers.PullingApp([Infrastructure.Tiers.Rtmp(Daemon)], pull: "\"waitMs\": 1000",
                more: "\"renditions\": { \"labels\": [ \"240p\", \"144p\", \"90p\" ] }"),
            rootJson: Infrastructure.Tiers.Node("edge"));
        using var cts = new CancellationTokenSource(Wait);

        var first = await Hls.GetAsync(edge, "/live/cam/index.m3u8", cts.Token);
        await edge.WaitForLogAsync(l => l.Contains("pull default/live/cam_90p: giving up", StringComparison.Ordinal), TimeSpan.FromSeconds(15));
        var second = await Hls.GetAsync(edge, "/live/cam/index.m3u8", cts.Token);
        var mpd = await Hls.GetAsync(edge, "/live/cam.mpd", cts.Token);

        Assert.Equal(["../cam_144p.m3u8", "../cam_240p.m3u8", "../cam.m3u8"], Variants(first.Text).Select(v => v.Uri));
        Assert.Equal(["../cam_144p.m3u8", "../cam_240p.m3u8", "../cam.m3u8"], Variants(second.Text).Select(v => v.Uri));
        Assert.Equal(200, mpd.Status);
        Assert.Single(edge.Lines, l => l.Contains("pull default/live/cam_90p: started", StringComparison.Ordinal));
    }

    /// <summary>The listed segments' bytes over their EXTINF durations, as a player downloading them would measure.</summary>
    internal static async Task<(double BitsPerSecond, int Segments)> MeasuredRateAsync(DaemonProcess daemon, string playlistPath, CancellationToken ct)
    {
        var playlist = HlsPlaylist.Parse((await Hls.GetAsync(daemon, playlistPath, ct)).Text);
        long bytes = 0;
        foreach (var entry in playlist.Entries)
        {
            var segment = await Hls.GetAsync(daemon, "/live/" + entry.Uri, ct);
            Assert.Equal(200, segment.Status);
            bytes += segment.Body.Length;
        }
        return (bytes * 8 / playlist.Entries.Sum(e => e.Duration), playlist.Entries.Count);
    }

    /// <summary>profile_idc (from ffprobe's profile name) and level_idc of a stream's H.264.</summary>
    private static async Task<(int Profile, int Level)> H264ProfileAsync(string url)
    {
        var run = await ExternalProcess.RunAsync(Wait, "ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=profile,level", "-of", "json", url);
        using var json = JsonDocument.Parse(run.Stdout);
        var stream = json.RootElement.GetProperty("streams")[0];
        var profile = stream.GetProperty("profile").GetString() switch
        {
            "Baseline" or "Constrained Baseline" => 0x42,
            "Main" => 0x4d,
            "High" => 0x64,
            var other => throw new InvalidOperationException($"unexpected H.264 profile {other}"),
        };
        return (profile, stream.GetProperty("level").GetInt32());
    }

    /// <summary>The streams ffprobe finds at a URL (for an MPD: every representation).</summary>
    internal static async Task<List<ProbeStream>> ProbeStreamsAsync(string url)
    {
        var run = await ExternalProcess.RunAsync(Wait, "ffprobe", "-v", "error", "-show_entries", "stream=index,codec_name,codec_type,width,height", "-of", "json", url);
        Assert.True(run.ExitCode == 0, $"ffprobe {url} exited {run.ExitCode}: {run.Stderr}");
        return [.. ProbeResult.Parse(run.Stdout, run.Stderr).Streams];
    }
}
