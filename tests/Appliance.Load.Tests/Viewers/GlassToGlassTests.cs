using Appliance.Codecs.Avc;
using Appliance.Load.Viewers;

namespace Appliance.Load.Tests.Viewers;

public class GlassToGlassTests
{
    private const long T0 = 1_796_598_000_000_000;

    [Fact]
    public void EachSampleIsTheReceiptMinusTheStampAndTheTrendComparesTheFirstAndLast5Seconds()
    {
        var latency = new GlassToGlass();
        // 12 s of 25 fps: 100 ms behind for the first 5 s, then 300 ms.
        for (var frame = 0; frame < 300; frame++)
        {
            var sent = T0 + (frame * 40_000L);
            latency.Add(sent, sent + (frame < 125 ? 100_000 : 300_000));
        }

        Assert.Equal(300, latency.Samples);
        Assert.InRange(latency.Histogram.PercentileMs(50), 290, 310);
        Assert.Equal(300, latency.Histogram.MaxMs, precision: 3);
        Assert.InRange(latency.First5sMeanMs, 99.9, 100.1);
        Assert.InRange(latency.Last5sMeanMs, 299.9, 300.1);
        Assert.Equal(0, latency.NotIncreasing);
        Assert.Equal(0, latency.FromTheFuture);
    }

    [Fact]
    public void TheSteadyHistogramLeavesOutTheFirst5SecondsTheJoinBurst()
    {
        var latency = new GlassToGlass();
        // A join burst: 2 s old frames arriving at once, then live frames 40 ms behind.
        for (var frame = 0; frame < 50; frame++)
        {
            latency.Add(T0 + (frame * 40_000L), T0 + 2_000_000 + (frame * 1_000L));
        }
        for (var frame = 50; frame < 400; frame++)
        {
            var sent = T0 + (frame * 40_000L);
            latency.Add(sent, sent + 40_000);
        }

        Assert.True(latency.Histogram.MaxMs > 1_500);
        // The first receipt came at 2 s; frame 174 is the first to arrive 5 s after it (174 x 40 + 40 = 7,000 ms).
        Assert.Equal(400 - 174, latency.Steady.Count);
        Assert.Equal(40, latency.Steady.MaxMs, precision: 3);
    }

    [Fact]
    public void AStampNotAfterTheLastAndOneFromTheFutureAreCounted()
    {
        var latency = new GlassToGlass();
        latency.Add(T0, T0 + 50_000);
        latency.Add(T0, T0 + 90_000);
        latency.Add(T0 + 200_000, T0 + 100_000);

        Assert.Equal(1, latency.NotIncreasing);
        Assert.Equal(1, latency.FromTheFuture);
        Assert.Equal(3, latency.Samples);
    }

    [Fact]
    public void AFrameIsSearchedOnlyInItsHead()
    {
        var nal = new byte[SeiStamp.MaxNalLength];
        var length = SeiStamp.WriteH264Nal(nal, T0);
        var early = new byte[GlassToGlass.FrameHeadBytes + 100];
        nal.AsSpan(0, length).CopyTo(early.AsSpan(9));
        var late = new byte[GlassToGlass.FrameHeadBytes + 100];
        nal.AsSpan(0, length).CopyTo(late.AsSpan(GlassToGlass.FrameHeadBytes + 10));
        var latency = new GlassToGlass();

        latency.OnFrame(late);
        Assert.Equal(0, latency.Samples);
        latency.OnFrame(early);
        Assert.Equal(1, latency.Samples);
        Assert.Equal(T0, latency.LastStamp);
    }

    [Fact]
    public void AStampCutBetweenTwoPiecesOfAStreamIsRead()
    {
        var nal = new byte[SeiStamp.MaxNalLength];
        var length = SeiStamp.WriteH264Nal(nal, T0);
        var latency = new GlassToGlass();

        latency.Scan(nal.AsSpan(0, 12));
        latency.Scan(nal.AsSpan(12, length - 12));
        latency.Scan(nal.AsSpan(0, 12));
        latency.ResetScan();
        latency.Scan(nal.AsSpan(12, length - 12));

        Assert.Equal(1, latency.Samples);
    }
}
