using Appliance.Codecs.MpegTs;
using Appliance.Codecs.Tests.Support;

namespace Appliance.Codecs.Tests.MpegTs;

public class TsDemuxerTests
{
    [Fact]
    public void ReadsARealFfmpegStream()
    {
        var demuxer = new TsDemuxer();
        var units = TsBytes.Demux(Hex.Bytes(TsSamples.FfmpegTinyTs), demuxer);

        Assert.Equal(TsMuxer.PmtPid, demuxer.PmtPid);
        Assert.Equal(TsMuxer.VideoPid, demuxer.PcrPid);
        Assert.Equal([new TsElementaryStream(0x100, TsStreamType.H264), new TsElementaryStream(0x101, TsStreamType.AacAdts)], demuxer.Streams);
        // Video PES end at the next unit start (or the flush); the audio PES has a length and ends at once.
        var summary = units.Select(u => (u.Pid, u.Pts, u.Dts, u.IsKeyFrame, u.Payload.Length));
        Assert.Equal(
            [
                (0x100, 128090L, 128090L, true, 684),
                (0x100, 131690L, 131690L, false, 16),
                (0x101, 126000L, 126000L, true, 677),
                (0x100, 135290L, 135290L, false, 16),
            ],
            summary);
        Assert.StartsWith("0000000109F0000000016742", Hex.Of(units[0].Payload.Span));
        Assert.StartsWith("FFF15040115FFC", Hex.Of(units[2].Payload.Span));
        Assert.All(units, u => Assert.False(u.Discontinuity));
        AssertNoErrors(demuxer);
    }

    [Fact]
    public void ReadsTheSameUnitsWhateverTheChunking()
    {
        var ts = Hex.Bytes(TsSamples.FfmpegTinyTs);
        var expected = Describe(TsBytes.Demux(ts));
        foreach (var chunk in new[] { 1, 2, 7, 187, 188, 189, 376, 1000 })
        {
            var demuxer = new TsDemuxer();
            for (var i = 0; i < ts.Length; i += chunk)
            {
                demuxer.Write(ts.AsSpan(i, Math.Min(chunk, ts.Length - i)));
            }
            demuxer.Flush();
            var units = new List<TsAccessUnit>();
            while (demuxer.TryRead(out var unit))
            {
                units.Add(unit);
            }
            Assert.Equal(expected, Describe(units));
            AssertNoErrors(demuxer);
        }
    }

    [Fact]
    public void IgnoresStreamTypesItDoesNotDemux()
    {
        // A PMT listing private data (0x06) on 0x102 beside H.264 on 0x100.
        var ts = TsPackets.Concat(TsPackets.Pat(), TsPackets.Pmt(0x100, [(0x1B, 0x100), (0x06, 0x102)]),
            TsPackets.Pes(0x102, 0, "000001BD000A80800521000100010A0B"));
        var demuxer = new TsDemuxer();
        Assert.Empty(TsBytes.Demux(ts, demuxer));
        Assert.Equal(2, demuxer.Streams.Count);
        Assert.False(demuxer.Streams[1].IsSupported);
        AssertNoErrors(demuxer);
    }

    [Fact]
    public void ReassemblesAtMostMaxStreams()
    {
        var streams = Enumerable.Range(0, 10).Select(i => (0x0F, 0x200 + i)).ToArray();
        var packets = new List<byte[]> { TsPackets.Pat(), TsPackets.Pmt(0x200, streams) };
        packets.AddRange(streams.Select(s => TsPackets.Pes(s.Item2, 0, "000001C0000A80800521000100010A0B")));
        var demuxer = new TsDemuxer();
        var units = TsBytes.Demux(TsPackets.Concat([.. packets]), demuxer);
        Assert.Equal(10, demuxer.Streams.Count);
        Assert.Equal(Enumerable.Range(0x200, TsDemuxer.MaxStreams), units.Select(u => u.Pid));
    }

    [Fact]
    public void FollowsANewProgramWhenThePatChanges()
    {
        var ts = TsPackets.Concat(
            TsPackets.Pat(pmtPid: 0x1000),
            TsPackets.Pmt(0x100, [(0x1B, 0x100)]),
            TsPackets.Pat(pmtPid: 0x1100, counter: 1),
            TsPackets.Pmt(0x300, [(0x0F, 0x300)], pmtPid: 0x1100),
            TsPackets.Pes(0x100, 0, "000001E0000080800521000100010000000109F0"),
            TsPackets.Pes(0x300, 0, "000001C0000A80800521000100010A0B"));
        var demuxer = new TsDemuxer();
        var units = TsBytes.Demux(ts, demuxer);
        Assert.Equal(0x1100, demuxer.PmtPid);
        Assert.Equal([new TsElementaryStream(0x300, TsStreamType.AacAdts)], demuxer.Streams);
        Assert.Equal([0x300], units.Select(u => u.Pid));
    }

    [Fact]
    public void TakesAPmtSectionThatSpansPackets()
    {
        // 40 streams make a 216-byte section: two packets.
        var streams = Enumerable.Range(0, 40).Select(i => (0x0F, 0x200 + i)).ToArray();
        var demuxer = new TsDemuxer();
        TsBytes.Demux(TsPackets.Concat(TsPackets.Pat(), TsPackets.Pmt(0x200, streams)), demuxer);
        Assert.Equal(40, demuxer.Streams.Count);
        AssertNoErrors(demuxer);
    }

    internal static void AssertNoErrors(TsDemuxer demuxer)
    {
        Assert.Equal(
            (0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L),
            (demuxer.SyncLosses, demuxer.TransportErrors, demuxer.MalformedPackets, demuxer.ContinuityErrors, demuxer.CrcErrors,
                demuxer.MalformedSections, demuxer.MalformedPes, demuxer.OversizedPes, demuxer.DroppedUnits));
    }

    internal static List<string> Describe(List<TsAccessUnit> units) =>
        units.Select(u => $"{u.Pid}/{u.StreamType}/{u.Pts}/{u.Dts}/{u.IsKeyFrame}/{u.Discontinuity}/{Hex.Of(u.Payload.Span)}").ToList();
}
