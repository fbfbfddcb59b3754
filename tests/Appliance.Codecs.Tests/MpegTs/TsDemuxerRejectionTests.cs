using Appliance.Codecs.MpegTs;
using Appliance.Codecs.Tests.Support;

namespace Appliance.Codecs.Tests.MpegTs;

/// <summary>Every way the demuxer rejects input, each counted, none thrown except "not TS at all".</summary>
public class TsDemuxerRejectionTests
{
    [Fact]
    public void RegainsSyncAfterJunkBetweenPackets()
    {
        var (packets, expected) = SampleStream();
        // Junk with false sync bytes in it, between the PMT and the first video packet.
        var junk = Hex.Bytes("0147FF4747000147");
        var ts = packets[..2].SelectMany(p => p).Concat(junk).Concat(packets[2..].SelectMany(p => p)).ToArray();
        var demuxer = new TsDemuxer();
        Assert.Equal(expected, TsDemuxerTests.Describe(TsBytes.Demux(ts, demuxer)));
        Assert.Equal(1, demuxer.SyncLosses);
    }

    [Fact]
    public void SkipsJunkBeforeTheFirstPacket()
    {
        var (packets, expected) = SampleStream();
        var ts = new byte[100].Concat(packets.SelectMany(p => p)).ToArray();
        var demuxer = new TsDemuxer();
        Assert.Equal(expected, TsDemuxerTests.Describe(TsBytes.Demux(ts, demuxer)));
        Assert.Equal(1, demuxer.SyncLosses);
    }

    [Fact]
    public void ThrowsWhenTheInputIsNotATransportStream()
    {
        var html = "<html><body>404 Not Found</body></html>"u8.ToArray();
        var demuxer = new TsDemuxer(maxResyncBytes: 1000);
        // Below the limit it keeps looking, across calls.
        for (var i = 0; i < 1000 / html.Length; i++)
        {
            demuxer.Write(html);
        }
        var error = Assert.Throws<TsFormatException>(() => demuxer.Write(html));
        Assert.Contains("not a transport stream", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SkipsPacketsWithTheTransportErrorFlag()
    {
        var (packets, _) = SampleStream();
        var pat = (byte[])packets[0].Clone();
        pat[1] |= 0x80;
        var demuxer = new TsDemuxer();
        TsBytes.Demux(TsPackets.Concat(pat, packets[1]), demuxer);
        Assert.Equal(1, demuxer.TransportErrors);
        Assert.False(demuxer.HasPat);
    }

    [Theory]
    // adaptation_field_control 00 is reserved.
    [InlineData(0x00, 0)]
    // An adaptation field longer than the packet.
    [InlineData(0x20, 184)]
    [InlineData(0x30, 255)]
    public void SkipsPacketsWithABadAdaptationField(int control, int length)
    {
        var (packets, expected) = SampleStream();
        var bad = (byte[])packets[2].Clone();
        bad[3] = (byte)(control | (bad[3] & 0x0F));
        bad[4] = (byte)length;
        var demuxer = new TsDemuxer();
        var units = TsBytes.Demux(TsPackets.Concat(packets[0], packets[1], bad), demuxer);
        Assert.Equal(1, demuxer.MalformedPackets);
        Assert.Empty(units);
    }

    [Fact]
    public void IgnoresAPatWithABadCrc()
    {
        var pat = TsPackets.Pat();
        pat[20] ^= 0x01;
        var demuxer = new TsDemuxer();
        TsBytes.Demux(TsPackets.Concat(pat, TsPackets.Pmt(0x100, [(0x1B, 0x100)])), demuxer);
        Assert.Equal(1, demuxer.CrcErrors);
        Assert.False(demuxer.HasPat);
        Assert.False(demuxer.HasPmt);
    }

    [Fact]
    public void IgnoresAPmtWithABadCrc()
    {
        var pmt = TsPackets.Pmt(0x100, [(0x1B, 0x100)]);
        pmt[15] ^= 0x10;
        var demuxer = new TsDemuxer();
        var units = TsBytes.Demux(TsPackets.Concat(TsPackets.Pat(), pmt, TsPackets.Pes(0x100, 0, "000001E0000080800521000100010000000109F0")), demuxer);
        Assert.Equal(1, demuxer.CrcErrors);
        Assert.True(demuxer.HasPat);
        Assert.False(demuxer.HasPmt);
        Assert.Empty(units);
    }

    [Fact]
    public void IgnoresATableThatIsNotYetCurrent()
    {
        var demuxer = new TsDemuxer();
        TsBytes.Demux(TsPackets.Pat(current: false), demuxer);
        Assert.False(demuxer.HasPat);
        TsDemuxerTests.AssertNoErrors(demuxer);
    }

    [Fact]
    public void IgnoresTablesThatAreNotOursWithoutCountingErrors()
    {
        var ts = TsPackets.Concat(
            // Another table on the PAT PID.
            TsPackets.Psi(0, 0, TsPackets.Section(0x42, 1, Hex.Bytes("0001F000"))),
            // A PAT naming only the network PID (program 0).
            TsPackets.Psi(0, 1, TsPackets.Section(0x00, 1, Hex.Bytes("0000E010"))));
        var demuxer = new TsDemuxer();
        TsBytes.Demux(ts, demuxer);
        Assert.False(demuxer.HasPat);

        // A PMT for program 2 when the PAT names program 1.
        var pmt = TsPackets.Psi(0x1000, 0, TsPackets.Section(0x02, 2, Hex.Bytes("E100F000 1BE100F000")));
        TsBytes.Demux(TsPackets.Concat(TsPackets.Pat(counter: 2), pmt), demuxer);
        Assert.True(demuxer.HasPat);
        Assert.False(demuxer.HasPmt);
        TsDemuxerTests.AssertNoErrors(demuxer);
    }

    [Fact]
    public void SkipsNullPackets()
    {
        var (packets, expected) = SampleStream();
        var nullPacket = TsPackets.Packet(TsPacket.NullPid, 5, unitStart: false, [1, 2, 3]);
        var ts = packets.SelectMany(p => p.Concat(nullPacket)).ToArray();
        var demuxer = new TsDemuxer();
        Assert.Equal(expected, TsDemuxerTests.Describe(TsBytes.Demux(ts, demuxer)));
        TsDemuxerTests.AssertNoErrors(demuxer);
    }

    [Fact]
    public void DropsASectionWhosePacketsHaveAContinuityGap()
    {
        var streams = Enumerable.Range(0, 40).Select(i => (0x0F, 0x200 + i)).ToArray();
        var pmt = TsPackets.Pmt(0x200, streams);
        // The section's second packet arrives with counter 2 instead of 1.
        pmt[TsPacket.Size + 3] = (byte)((pmt[TsPacket.Size + 3] & 0xF0) | 2);
        var demuxer = new TsDemuxer();
        TsBytes.Demux(TsPackets.Concat(TsPackets.Pat(), pmt), demuxer);
        Assert.Equal(1, demuxer.ContinuityErrors);
        Assert.False(demuxer.HasPmt);
    }

    [Theory]
    // A PAT whose program loop is not a whole number of 4-byte entries.
    [InlineData("pat-loop")]
    // A pointer_field past the end of the payload.
    [InlineData("pointer")]
    // section_length above the 1021-byte maximum.
    [InlineData("section-length")]
    // A PMT whose ES_info_length runs past the section.
    [InlineData("es-info")]
    // A PMT whose program_info_length runs past the section.
    [InlineData("program-info")]
    // A section too short to hold its fixed fields and CRC.
    [InlineData("short")]
    // section_syntax_indicator clear.
    [InlineData("syntax")]
    public void CountsMalformedSections(string kind)
    {
        var packet = kind switch
        {
            "pat-loop" => TsPackets.Psi(0, 0, TsPackets.Section(0x00, 1, Hex.Bytes("0001F00000"))),
            "pointer" => TsPackets.Packet(0, 0, unitStart: true, [200]),
            "section-length" => TsPackets.Psi(0, 0, Hex.Bytes("00B3FF0001C10000")),
            "es-info" => TsPackets.Psi(0x1000, 0, TsPackets.Section(0x02, 1, Hex.Bytes("E100F000 1BE100F010 0000"))),
            "program-info" => TsPackets.Psi(0x1000, 0, TsPackets.Section(0x02, 1, Hex.Bytes("E100F020 1BE100F000"))),
            "short" => TsPackets.Psi(0, 0, Hex.Bytes("00B0050001C10000")),
            _ => SyntaxCleared(),
        };
        var demuxer = new TsDemuxer();
        var start = kind is "es-info" or "program-info" ? TsPackets.Pat() : [];
        TsBytes.Demux(TsPackets.Concat(start, packet), demuxer);
        Assert.Equal(1, demuxer.MalformedSections);
        Assert.False(demuxer.HasPmt);
    }

    [Fact]
    public void DropsTheUnitUnderWayOnAContinuityGapAndFlagsTheNext()
    {
        var (packets, expected) = SampleStream();
        // Packet 3 is the second packet of the keyframe's PES.
        Assert.False(TsBytes.UnitStart(packets[3]));
        var ts = packets.Where((_, i) => i != 3).SelectMany(p => p).ToArray();
        var demuxer = new TsDemuxer();
        var units = TsBytes.Demux(ts, demuxer);
        Assert.Equal(1, demuxer.ContinuityErrors);
        Assert.Equal(1, demuxer.DroppedUnits);
        var video = units.Where(u => u.Pid == TsMuxer.VideoPid).ToList();
        Assert.Equal(expected.Count(e => e.StartsWith("256/", StringComparison.Ordinal)) - 1, video.Count);
        Assert.True(video[0].Discontinuity);
        Assert.All(video.Skip(1), u => Assert.False(u.Discontinuity));
    }

    [Fact]
    public void TakesADuplicatePacketOnce()
    {
        var (packets, expected) = SampleStream();
        var ts = packets[..4].Append(packets[3]).Concat(packets[4..]).SelectMany(p => p).ToArray();
        var demuxer = new TsDemuxer();
        Assert.Equal(expected, TsDemuxerTests.Describe(TsBytes.Demux(ts, demuxer)));
        TsDemuxerTests.AssertNoErrors(demuxer);
    }

    [Fact]
    public void ASignalledDiscontinuityIsNotAnErrorButIsReported()
    {
        var ts = TsPackets.Concat(TsPackets.Pat(), TsPackets.Pmt(0x101, [(0x0F, 0x101)]),
            TsPackets.Pes(0x101, 0, "000001C0000A80800521000100010A0B"),
            DiscontinuityPacket(0x101, 9, "000001C0000A80800521000100010C0D"));
        var demuxer = new TsDemuxer();
        var units = TsBytes.Demux(ts, demuxer);
        Assert.Equal([false, true], units.Select(u => u.Discontinuity));
        TsDemuxerTests.AssertNoErrors(demuxer);
    }

    [Fact]
    public void DropsAPesLongerThanTheLimit()
    {
        var muxer = TsMuxerVideoTests.H264Muxer();
        var ts = TsBytes.Video(muxer, Hex.Bytes(TsSamples.IdrFrame), 0, key: true)
            .Concat(TsBytes.Video(muxer, BigFrame(), 40))
            .Concat(TsBytes.Video(muxer, Hex.Bytes("00000002419A"), 80))
            .Concat(TsBytes.Video(muxer, Hex.Bytes("00000002419A"), 120))
            .ToArray();
        var demuxer = new TsDemuxer(maxAccessUnitLength: 1000);
        var units = TsBytes.Demux(ts, demuxer);
        Assert.Equal(1, demuxer.OversizedPes);
        Assert.Equal(1, demuxer.DroppedUnits);
        Assert.Equal([0L, 80L * 90, 120L * 90], units.Select(u => u.Dts));
    }

    [Fact]
    public void DropsAPesWhoseAnnouncedLengthIsAboveTheLimit()
    {
        var ts = TsPackets.Concat(TsPackets.Pat(), TsPackets.Pmt(0x101, [(0x0F, 0x101)]),
            TsPackets.Pes(0x101, 0, "000001C0FFFF80800521000100010A0B"));
        var demuxer = new TsDemuxer(maxAccessUnitLength: 1000);
        Assert.Empty(TsBytes.Demux(ts, demuxer));
        Assert.Equal(1, demuxer.OversizedPes);
    }

    [Theory]
    // No start code prefix: judged on the first bytes, before buffering more.
    [InlineData("000002C0000A80800521000100010A0B")]
    // PTS_DTS_flags '01'.
    [InlineData("000001C0000A80400521000100010A0B")]
    // A header and no payload.
    [InlineData("000001C000088080052100010001")]
    // PES_packet_length promises more than arrives before the next unit start.
    [InlineData("000001C0001080800521000100010A0B")]
    public void DropsMalformedPes(string pes)
    {
        var ts = TsPackets.Concat(TsPackets.Pat(), TsPackets.Pmt(0x101, [(0x0F, 0x101)]),
            TsPackets.Pes(0x101, 0, pes),
            TsPackets.Pes(0x101, 1, "000001C0000A80800521000100010C0D"));
        var demuxer = new TsDemuxer();
        var units = TsBytes.Demux(ts, demuxer);
        Assert.Equal(1, demuxer.MalformedPes);
        Assert.Equal(1, demuxer.DroppedUnits);
        Assert.Equal(["0C0D"], units.Select(u => Hex.Of(u.Payload.Span)));
    }

    [Theory]
    [InlineData(187, TsDemuxer.DefaultMaxResyncBytes)]
    [InlineData(TsDemuxer.DefaultMaxAccessUnitLength, 187)]
    public void RefusesLimitsBelowOnePacket(int maxAccessUnitLength, int maxResyncBytes)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TsDemuxer(maxAccessUnitLength, maxResyncBytes));
    }

    [Fact]
    public void SurvivesRandomDamageThrowingOnlyItsOwnException()
    {
        var (packets, _) = SampleStream();
        var clean = packets.SelectMany(p => p).ToArray();
        var random = new Random(8080);
        for (var round = 0; round < 3000; round++)
        {
            var ts = (byte[])clean.Clone();
            for (var hits = random.Next(1, 20); hits > 0; hits--)
            {
                ts[random.Next(ts.Length)] = (byte)random.Next(256);
            }
            // Sometimes cut or splice too.
            if (round % 5 == 0)
            {
                ts = ts[random.Next(ts.Length)..];
            }
            var demuxer = new TsDemuxer(maxAccessUnitLength: 4096, maxResyncBytes: 4 * TsPacket.Size);
            try
            {
                for (var i = 0; i < ts.Length;)
                {
                    var chunk = random.Next(1, 400);
                    demuxer.Write(ts.AsSpan(i, Math.Min(chunk, ts.Length - i)));
                    i += chunk;
                }
                demuxer.Flush();
            }
            catch (TsFormatException)
            {
            }
            while (demuxer.TryRead(out var unit))
            {
                Assert.InRange(unit.Payload.Length, 1, 4096);
            }
        }
    }

    /// <summary>A muxed H.264 + AAC stream: PAT, PMT, a six-packet keyframe, audio, inter frames.</summary>
    private static (byte[][] Packets, List<string> Expected) SampleStream()
    {
        var muxer = TsMuxerVideoTests.H264Muxer();
        Assert.Equal(TsMuxStatus.Ok, muxer.SetAacConfig(Hex.Bytes(TsSamples.AacLc44100Stereo)));
        var slice = new byte[1000];
        new Random(3).NextBytes(slice);
        slice[0] = 0x65;
        var idr = new byte[] { 0, 0, 0x03, 0xE8 }.Concat(slice).ToArray();
        var ts = TsBytes.Video(muxer, idr, 0, key: true)
            .Concat(TsBytes.Audio(muxer, Hex.Bytes("DE0400"), 0))
            .Concat(TsBytes.Video(muxer, Hex.Bytes("00000002419A"), 40))
            .Concat(TsBytes.Audio(muxer, Hex.Bytes("DE0401"), 23))
            .Concat(TsBytes.Video(muxer, Hex.Bytes("00000002419B"), 80))
            .ToArray();
        return (TsBytes.Packets(ts), TsDemuxerTests.Describe(TsBytes.Demux(ts)));
    }

    private static byte[] BigFrame()
    {
        var frame = new byte[4 + 2000];
        frame[2] = 0x07;
        frame[3] = 0xD0;
        frame[4] = 0x41;
        return frame;
    }

    private static byte[] SyntaxCleared()
    {
        var section = TsPackets.Section(0x00, 1, Hex.Bytes("0001F000"));
        section[1] &= 0x7F;
        return TsPackets.Psi(0, 0, section);
    }

    private static byte[] DiscontinuityPacket(int pid, int counter, string pes)
    {
        var packet = TsPackets.Pes(pid, counter, pes);
        packet[5] |= 0x80;
        return packet;
    }
}
