using Appliance.Streaming.Media;
using Appliance.Streaming.Settings;

namespace Appliance.Streaming.Tests.Streams;

/// <summary>
/// "joinMode": "live": a viewer starts at the newest keyframe, and the cached frames up to the live
/// frame are re-stamped into the burst interval ending at the live frame's timestamp; read back
/// the way a player of each wire format reads them.
/// </summary>
public class LiveEdgeJoinTests
{
    public static TheoryData<WireFormat> Formats => [WireFormat.Flv, WireFormat.Rtmp, WireFormat.Ts];

    [Theory]
    [MemberData(nameof(Formats))]
    public void TheGopIsReStampedIntoTheBurstEndingAtTheLiveFrame(WireFormat format)
    {
        var m = LiveEdgeMedia.Start(format);
        m.Publish(0, 1960);
        m.Publish(2000, 3600);

        var frames = m.Join(format).Read();

        var media = frames.Where(f => f.IsMedia).ToList();
        Assert.True(media[0].IsKeyFrame, $"first media frame {media[0]}");
        Assert.Equal(3600 - LiveEdgeMedia.BurstMs, media[0].Dts);
        var video = media.Where(f => f.Kind == FrameKind.Video).Select(f => f.Dts).ToList();
        // The 40 cached frames 2000..3560 in 100 ms, 2.5 ms apart, then the live frame at its own time.
        Assert.Equal(Enumerable.Range(0, 40).Select(i => 3500L + (i * 100 / 40)).Append(3600), video);
        // Cached audio before the interval is dropped; the audio within it goes as it was.
        Assert.Equal(m.Audio.Where(a => a >= 3500), media.Where(f => f.Kind == FrameKind.Audio).Select(f => f.Dts));
        Assert.True(media.Where(f => f.Kind == FrameKind.Audio).All(f => f.Dts >= media[0].Dts));
    }

    /// <summary>A web browser's request (HTTP-FLV, HTTP-TS) gets the app's browserJoinBurstMs; others, joinBurstMs.</summary>
    [Theory]
    [InlineData(WireFormat.Flv)]
    [InlineData(WireFormat.Ts)]
    public void ABrowsersJoinIsReStampedIntoTheBrowserBurst(WireFormat format)
    {
        var m = LiveEdgeMedia.Start(format, app => app.BrowserJoinBurstMs = 300);
        m.Publish(0, 1960);
        m.Publish(2000, 3600);

        var browser = m.Join(format, browser: true).Read().Where(f => f.IsMedia && f.Kind == FrameKind.Video).Select(f => f.Dts).ToList();
        var player = m.Join(format).Read().Where(f => f.IsMedia && f.Kind == FrameKind.Video).Select(f => f.Dts).ToList();

        Assert.Equal(Enumerable.Range(0, 40).Select(i => 3300L + (i * 300 / 40)).Append(3600), browser);
        Assert.Equal(3600 - LiveEdgeMedia.BurstMs, player[0]);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void LiveFramesAfterTheBurstKeepTheirOwnTimes(WireFormat format)
    {
        var m = LiveEdgeMedia.Start(format);
        m.Publish(0, 1200);
        var viewer = m.Join(format);
        var burst = viewer.Read();

        m.Publish(1240, 1400, keyFrameFirst: false);
        var live = viewer.Read();

        Assert.Equal(1200, burst.Last(f => f.Kind == FrameKind.Video).Dts);
        Assert.Equal([1240L, 1280, 1320, 1360, 1400], live.Where(f => f.Kind == FrameKind.Video).Select(f => f.Dts));
        Assert.Equal(m.Audio.Where(a => a > 1200), live.Where(f => f.Kind == FrameKind.Audio).Select(f => f.Dts));
        var audio = burst.Concat(live).Where(f => f.Kind == FrameKind.Audio && f.IsMedia).Select(f => f.Dts).ToList();
        Assert.Equal(audio.Order(), audio);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void BFramesKeepTheirPresentationOrder(WireFormat format)
    {
        var m = LiveEdgeMedia.Start(format);
        // Decode order I P B B P B B ..., presented 80 ms after decoding starts: CompositionTimes 80, 160, 40, 40, 160, ...
        m.Publish(1000, 2600, compositionTime: i => i == 0 ? 80 : i % 3 == 1 ? 160 : 40);

        var video = m.Join(format).Read().Where(f => f.Kind == FrameKind.Video && f.IsMedia).ToList();

        var originalDts = Enumerable.Range(0, 41).Select(i => 1000L + (40 * i)).ToList();
        Assert.Equal(originalDts.Count, video.Count);
        var originalPts = originalDts.Select(m.PtsOf).ToList();
        // Presentation order as it was, every PTS distinct and after its DTS; decode times strictly increasing.
        Assert.Equal(Ranks(originalPts), Ranks(video.Select(f => f.Pts).ToList()));
        Assert.All(video, f => Assert.True(f.Pts > f.Dts, $"{f} presented before it is decoded"));
        Assert.Equal(video.Select(f => f.Dts).Order().Distinct(), video.Select(f => f.Dts));
        Assert.Equal(2600, video[^1].Dts);
        // Times from the live frame's on are the original ones: what the live frames after continue from.
        for (var i = 0; i < video.Count; i++)
        {
            if (originalPts[i] >= 2600)
            {
                Assert.Equal(originalPts[i], video[i].Pts);
            }
        }
        Assert.True(video[^2].Dts < 2600 && video[0].Dts == 2600 - LiveEdgeMedia.BurstMs, string.Join(" ", video));
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void AStreamYoungerThanTheBurstIsSentAsItIs(WireFormat format)
    {
        var m = LiveEdgeMedia.Start(format);
        m.Publish(1000, 1080);

        var media = m.Join(format).Read().Where(f => f.IsMedia).ToList();

        Assert.Equal([1000L, 1040, 1080], media.Where(f => f.Kind == FrameKind.Video).Select(f => f.Dts));
        Assert.Equal(m.Audio, media.Where(f => f.Kind == FrameKind.Audio).Select(f => f.Dts));
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void AJoinJustAfterAKeyFrameTakesTheGopBeforeSoTheBurstHas40VideoFrames(WireFormat format)
    {
        var m = LiveEdgeMedia.Start(format);
        m.Publish(0, 960);
        m.Publish(1000, 2960);
        m.Publish(3000, 3080);

        var media = m.Join(format).Read().Where(f => f.IsMedia).ToList();

        // 3 frames since the newest keyframe: the burst starts at the one before (50 + 3 frames).
        var video = media.Where(f => f.Kind == FrameKind.Video).ToList();
        Assert.True(video[0].IsKeyFrame);
        Assert.Equal(53, video.Count);
        Assert.Equal(Enumerable.Range(0, 52).Select(i => 2980L + (i * 100 / 52)).Append(3080), video.Select(f => f.Dts));
        Assert.True(video[50].IsKeyFrame);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void ALongGopGetsAtLeastOneMillisecondPerFrame(WireFormat format)
    {
        var m = LiveEdgeMedia.Start(format);
        // 200 cached frames: the 100 ms burst stretches to 200 ms.
        m.Publish(10_000, 18_000);

        var media = m.Join(format).Read().Where(f => f.IsMedia).ToList();

        var video = media.Where(f => f.Kind == FrameKind.Video).Select(f => f.Dts).ToList();
        Assert.Equal(Enumerable.Range(0, 200).Select(i => 17_800L + i).Append(18_000), video);
        Assert.Equal(m.Audio.Where(a => a >= 17_800), media.Where(f => f.Kind == FrameKind.Audio).Select(f => f.Dts));
    }

    [Theory]
    [InlineData(WireFormat.Flv)]
    [InlineData(WireFormat.Rtmp)]
    public void FlvAndRtmpInterleaveTheBurstByTime(WireFormat format)
    {
        var m = LiveEdgeMedia.Start(format);
        m.Publish(0, 1960);
        m.Publish(2000, 3600);

        var media = m.Join(format).Read().Where(f => f.IsMedia).ToList();

        // The kept audio goes between the re-stamped video by time, not after all of it as in the log.
        Assert.True(media[0].IsKeyFrame);
        Assert.Equal(media.Select(f => f.Dts).Order(), media.Select(f => f.Dts));
        Assert.True(media.FindIndex(f => f.Kind == FrameKind.Audio) < 10, string.Join(" ", media));
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void ABurstLargerThanOneWriteGoesOnAtTheNextCollect(WireFormat format)
    {
        var whole = LiveEdgeMedia.Start(format);
        whole.Publish(0, 1960);
        whole.Publish(2000, 3600);
        var inPieces = LiveEdgeMedia.Start(format);
        inPieces.Publish(0, 1960);
        inPieces.Publish(2000, 3600);
        var viewer = inPieces.Join(format);

        var bytes = new List<byte>();
        var batch = new Appliance.Streaming.Fanout.OutputBatch(maxSlices: 8);
        var collects = 0;
        Appliance.Streaming.Fanout.CollectResult result;
        do
        {
            result = inPieces.H.Stream.Collect(viewer.Subscription, batch);
            bytes.AddRange(JoinedViewer.Bytes(batch.Slices.ToArray()));
            batch.ReleaseAll();
            collects++;
        }
        while (result == Appliance.Streaming.Fanout.CollectResult.More);

        Assert.True(collects > 5, $"{collects} collects");
        Assert.Equal(whole.Join(format).Read().Select(f => f.ToString()), viewer.Parse([.. bytes]).Select(f => f.ToString()));
    }

    [Fact]
    public void TsCarriesTheNewDecodeTimeAsItsPcr()
    {
        var m = LiveEdgeMedia.Start(WireFormat.Ts);
        m.Publish(0, 1960);
        m.Publish(2000, 3600);
        var viewer = m.Join(WireFormat.Ts);

        var slices = JoinedViewer.CollectSlices(m.H, viewer.Subscription);
        var bytes = JoinedViewer.Bytes(slices);
        JoinedViewer.Release(slices);

        var video = viewer.Parse(bytes).Where(f => f.Kind == FrameKind.Video).Select(f => f.Dts);
        Assert.Equal(video, JoinedViewer.VideoPcrs(bytes));
        Assert.Equal(3500, JoinedViewer.VideoPcrs(bytes)[0]);
    }

    [Theory]
    [InlineData(JoinModes.KeyFrame)]
    [InlineData(JoinModes.Buffer)]
    public void OtherModesSendTheFramesAtTheirOwnTimes(string mode)
    {
        var m = LiveEdgeMedia.Start(WireFormat.Flv, app => app.JoinMode = mode);
        m.Publish(0, 1960);
        m.Publish(2000, 2400);

        var media = m.Join(WireFormat.Flv).Read().Where(f => f.IsMedia).ToList();

        // "buffer" goes a GOP back: the newest keyframe leaves less than joinBufferMs (1000).
        var start = mode == JoinModes.KeyFrame ? 2000 : 0;
        Assert.Equal(start, media[0].Dts);
        Assert.True(media[0].IsKeyFrame);
        Assert.Equal(m.Video.Keys.Where(v => v >= start), media.Where(f => f.Kind == FrameKind.Video).Select(f => f.Dts));
        // Every audio frame after the keyframe in publish order (the one at 0 follows the keyframe at 0).
        Assert.Equal(m.Audio.Where(a => start == 0 || a > start), media.Where(f => f.Kind == FrameKind.Audio).Select(f => f.Dts));
    }

    private static List<int> Ranks(List<long> values) =>
        values.Select(v => values.Count(other => other < v)).ToList();
}
