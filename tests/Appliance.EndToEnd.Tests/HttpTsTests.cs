using System.Buffers;
using Appliance.Codecs.MpegTs;
using Appliance.EndToEnd.Tests.Infrastructure;

namespace Appliance.EndToEnd.Tests;

/// <summary>ffmpeg publishes over RTMP; ffprobe, ffmpeg and a raw socket read it back as live HTTP-TS.</summary>
public sealed class HttpTsTests(LivePublisherFixture live) : IClassFixture<LivePublisherFixture>
{
    private static readonly TimeSpan PlayTimeout = TimeSpan.FromSeconds(45);

    private string Url => live.Daemon.HttpUrl("live/cam.ts");

    [Fact]
    public async Task Ffprobe_reads_10s_of_h264_640x360_and_aac_with_continuous_timestamps()
    {
        var probe = await Ffmpeg.ProbeAsync(Url, seconds: 10, PlayTimeout);

        Assert.Equal("h264", probe.Video.CodecName);
        Assert.Equal(640, probe.Video.Width);
        Assert.Equal(360, probe.Video.Height);
        Assert.Equal("aac", probe.Audio.CodecName);
        Assert.Equal(2, probe.Streams.Count);
        Assert.True(probe.PacketsOf(probe.Video)[0].Key, "the first video packet is not a keyframe");
        FfmpegPlayback.AssertContinuous(probe, minSeconds: 9.5);
        Assert.Empty(FfmpegPlayback.ErrorLines(probe.Errors));
    }

    [Fact]
    public async Task Ffmpeg_copies_10s_without_an_error_line()
    {
        await using var player = await FfmpegPlayback.CopyAsync(Url, 10, PlayTimeout);

        Assert.Equal(0, player.ExitCode);
        Assert.Empty(FfmpegPlayback.ErrorLines(player.Stderr));
    }

    [Fact]
    public async Task The_response_is_video_mp2t_starting_with_a_pat_then_a_keyframe_on_the_video_pid()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var (tcp, input, head) = await RawHttp.GetAsync(live.Daemon.HttpPort, "/live/cam.ts", cts.Token);
        using var _ = tcp;

        Assert.Equal(200, head.Status);
        Assert.Equal("video/mp2t", head.GetHeader("Content-Type"));
        Assert.Null(head.ContentLength);
        var demuxer = new TsDemuxer();
        var body = new List<byte>();
        var units = new List<TsAccessUnit>();
        while (units.Count(u => u.Pid == TsMuxer.VideoPid) < 30)
        {
            var result = await input.ReadAsync(cts.Token);
            foreach (var segment in result.Buffer)
            {
                if (body.Count < TsPacket.Size)
                {
                    body.AddRange(segment.Span);
                }
                demuxer.Write(segment.Span);
            }
            input.AdvanceTo(result.Buffer.End);
            while (demuxer.TryRead(out var unit))
            {
                units.Add(unit);
            }
            Assert.False(result.IsCompleted, "the response ended");
        }

        var first = body.Take(TsPacket.Size).ToArray();
        Assert.Equal(TsPacket.SyncByte, first[0]);
        Assert.Equal(TsPacket.PatPid, ((first[1] & 0x1F) << 8) | first[2]);
        Assert.True((first[1] & 0x40) != 0, "the first packet does not start the PAT section");
        Assert.Contains(demuxer.Streams, s => s.Pid == TsMuxer.VideoPid && s.StreamType == TsStreamType.H264);
        Assert.Contains(demuxer.Streams, s => s.Pid == TsMuxer.AudioPid && s.StreamType == TsStreamType.AacAdts);
        Assert.True(units.First(u => u.Pid == TsMuxer.VideoPid).IsKeyFrame, "the first video access unit is not a keyframe");
        Assert.Contains(units, u => u.Pid == TsMuxer.AudioPid);
        Assert.Equal(0, demuxer.ContinuityErrors + demuxer.DroppedUnits + demuxer.SyncLosses + demuxer.CrcErrors);
    }
}
