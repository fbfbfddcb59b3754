using Appliance.Codecs.MpegTs;
using Appliance.Codecs.Tests.Support;

namespace Appliance.Codecs.Tests.MpegTs;

public class TsMuxerVideoTests
{
    private const string PmtVideoOnly = "475000100002b0120001c10000e100f0001be100f00015bd4d56";
    private const string Aud = "0000000109F0";

    [Fact]
    public void WritesTablesAndAKeyFrameExactly()
    {
        var muxer = H264Muxer();
        var ts = TsBytes.Video(muxer, Hex.Bytes(TsSamples.IdrFrame), dtsMs: 1000, ctsMs: 40, key: true);
        var packets = TsBytes.Packets(ts);
        Assert.Equal(3, packets.Length);
        Assert.Equal(TsBytes.PaddedHex(TsSamples.PatPacketStart), Hex.Of(packets[0]));
        Assert.Equal(TsBytes.PaddedHex(PmtVideoOnly), Hex.Of(packets[1]));

        // PES: header with PTS 93600 and DTS 90000 and the 69 bytes after its length field, AUD, SPS
        // and PPS from the avcC, then the IDR.
        var pes = "000001E0004580C00A310005DB41110005BF21" + Aud + "00000001" + TsSamples.Sps + "00000001" + TsSamples.Pps
            + "00000001" + TsSamples.IdrFrame[8..];
        Assert.Equal(75, pes.Length / 2);
        // Adaptation field: 108 bytes after its length, random access + PCR 90000, then stuffing.
        var expected = "47410030" + "6C" + "50" + "0000AFC87E00" + TsBytes.Stuffing(101) + pes;
        Assert.Equal(expected.ToUpperInvariant(), Hex.Of(packets[2]));
    }

    [Fact]
    public void WritesAnInterFrameWithoutTablesOrParameterSets()
    {
        var muxer = H264Muxer();
        TsBytes.Video(muxer, Hex.Bytes(TsSamples.IdrFrame), 0, key: true);
        var ts = TsBytes.Video(muxer, Hex.Bytes("00000005419A20268B"), dtsMs: 40);
        var packets = TsBytes.Packets(ts);
        Assert.Single(packets);
        // PCR only, counter 1; PTS alone since it equals DTS (3600); 23 bytes after the length field.
        var pes = "000001E00017808005" + "2100011C21" + Aud + "00000001419A20268B";
        var expected = "47410031" + "9A" + "10" + "000007087E00" + TsBytes.Stuffing(147) + pes;
        Assert.Equal(expected.ToUpperInvariant(), Hex.Of(packets[0]));
    }

    [Fact]
    public void KeepsParameterSetsTheFrameAlreadyCarriesAndDropsItsAud()
    {
        var muxer = H264Muxer();
        var frame = Hex.Bytes("00000002 09F0 00000004 67AABBCC 00000002 68DD 00000002 6588");
        var ts = TsBytes.Video(muxer, frame, 0, key: true);
        var pes = Payload(TsBytes.Packets(ts)[2..]);
        Assert.EndsWith(Aud + "0000000167AABBCC0000000168DD000000016588", Hex.Of(pes));
        Assert.DoesNotContain(TsSamples.Sps.ToUpperInvariant(), Hex.Of(pes));
    }

    [Fact]
    public void InsertsParameterSetsBeforeAnIdrEvenWithoutTheKeyFlag()
    {
        var muxer = H264Muxer();
        var ts = TsBytes.Video(muxer, Hex.Bytes(TsSamples.IdrFrame), 0, key: false);
        var packets = TsBytes.Packets(ts);
        Assert.Equal(0x50, packets[2][5]);
        Assert.Contains(TsSamples.Sps.ToUpperInvariant(), Hex.Of(Payload(packets[2..])));
    }

    [Fact]
    public void SpreadsALargeFrameOverPacketsWithCountersAndFinalStuffing()
    {
        var muxer = H264Muxer();
        var body = new byte[1000];
        new Random(5).NextBytes(body);
        body[0] = 0x65;
        var frame = new byte[4 + body.Length];
        frame[2] = 0x03;
        frame[3] = 0xE8;
        body.CopyTo(frame, 4);
        TsBytes.Video(muxer, frame, 0, key: true);
        var second = TsBytes.Packets(TsBytes.Video(muxer, frame, 40, key: true))[2..];

        // PES: header 14 (no B-frames, so no DTS), AUD 6, SPS and PPS 34, frame 1004: 1058 bytes.
        var pesLength = 14 + 6 + 34 + 1004;
        Assert.Equal(1 + ((pesLength - 176 + 183) / 184), second.Length);
        for (var i = 0; i < second.Length; i++)
        {
            Assert.Equal(TsMuxer.VideoPid, TsBytes.Pid(second[i]));
            Assert.Equal(i == 0, TsBytes.UnitStart(second[i]));
            // The first frame used as many counters, from 0.
            Assert.Equal((second.Length + i) & 0x0F, TsBytes.Counter(second[i]));
        }
        Assert.True(second[1..^1].All(p => p[3] >> 4 == 0x1));
        Assert.Equal(0x3, second[^1][3] >> 4);
        var pes = Payload(second);
        Assert.Equal(pesLength, pes.Length);
        Assert.EndsWith(Hex.Of(body), Hex.Of(pes));
    }

    [Fact]
    public void RepeatsTablesAtKeyFramesAndEvery100Ms()
    {
        var muxer = H264Muxer();
        var inter = Hex.Bytes("00000002419A");
        Assert.Equal(3, Count(TsBytes.Video(muxer, Hex.Bytes(TsSamples.IdrFrame), 0, key: true)));
        Assert.Equal(1, Count(TsBytes.Video(muxer, inter, 40)));
        Assert.Equal(1, Count(TsBytes.Video(muxer, inter, 99)));
        var due = TsBytes.Packets(TsBytes.Video(muxer, inter, 100));
        Assert.Equal(3, due.Length);
        // The repeated tables carry the next continuity counters.
        Assert.Equal((0, 1), (TsBytes.Pid(due[0]), TsBytes.Counter(due[0])));
        Assert.Equal((TsMuxer.PmtPid, 1), (TsBytes.Pid(due[1]), TsBytes.Counter(due[1])));
        Assert.Equal(1, Count(TsBytes.Video(muxer, inter, 140)));
        Assert.Equal(3, Count(TsBytes.Video(muxer, Hex.Bytes(TsSamples.IdrFrame), 160, key: true)));
        // A clock that jumps back (a republish) gets fresh tables too.
        Assert.Equal(3, Count(TsBytes.Video(muxer, inter, 20)));
    }

    [Fact]
    public void WrapsTimestampsAt33Bits()
    {
        var muxer = H264Muxer();
        var ts = TsBytes.Video(muxer, Hex.Bytes("00000002419A"), dtsMs: 95_443_718, ctsMs: 0, key: false);
        var packet = TsBytes.Packets(ts)[2];
        // PCR base 28 and PTS 28.
        Assert.Equal("0000000E7E00", Hex.Of(packet.AsSpan(6, 6)));
        var pes = Payload([packet]);
        Assert.True(PesHeader.TryParse(pes, out var header));
        Assert.Equal((28L, 28L), (header.Pts, header.Dts));
    }

    [Fact]
    public void MuxesHevcWithItsAudAndParameterSets()
    {
        var muxer = new TsMuxer();
        Assert.Equal(TsMuxStatus.Ok, muxer.SetHevcConfig(Hex.Bytes(Hevc.HevcDecoderConfigurationRecordTests.Record1280x720)));
        // An IDR_W_RADL (type 19): AUD type 35, then the VPS, SPS and PPS of the hvcC, then the slice.
        var ts = TsBytes.Video(muxer, Hex.Bytes("00000004 2601AFBB"), 0, key: true);
        var packets = TsBytes.Packets(ts);
        Assert.Equal(0x24, packets[1][17]);
        var expected = "000001E0 006D 80 80 05 2100010001" + "00000001 460150"
            + "00000001 40010C01FFFF01600000030090000003000003005D959809"
            + "00000001 42010101600000030090000003000003005DA00280802D165959A4932BC05A020000030002000003003210"
            + "00000001 4401C172B46240" + "00000001 2601AFBB";
        Assert.Equal(Hex.Of(Hex.Bytes(expected)), Hex.Of(Payload(packets[2..])));

        // A TRAIL_R (type 1) gets the AUD alone.
        var inter = Hex.Of(Payload(TsBytes.Packets(TsBytes.Video(muxer, Hex.Bytes("00000003 0201CC"), 40))));
        Assert.EndsWith("00000001460150" + "000000010201CC", inter);
    }

    [Fact]
    public void TheBoundHoldsForManyTinyUnits()
    {
        var random = new Random(99);
        foreach (var lengthSize in new[] { 1, 2, 4 })
        {
            var record = Hex.Bytes(TsSamples.AvcRecord);
            record[4] = (byte)(0xFC | (lengthSize - 1));
            var muxer = new TsMuxer();
            Assert.Equal(TsMuxStatus.Ok, muxer.SetAvcConfig(record));
            for (var round = 0; round < 50; round++)
            {
                // Units of one byte each: the worst growth per input byte.
                var units = random.Next(1, 400);
                var frame = new byte[units * (lengthSize + 1)];
                for (var u = 0; u < units; u++)
                {
                    frame[(u * (lengthSize + 1)) + lengthSize - 1] = 1;
                    frame[(u * (lengthSize + 1)) + lengthSize] = (byte)(round == 0 ? 0x65 : 0x41);
                }
                var bound = muxer.MaxVideoLength(frame.Length);
                var buffer = new byte[bound];
                var result = muxer.WriteVideo(buffer, frame, round * 40, 0, isKeyFrame: round % 10 == 0);
                Assert.Equal(TsMuxStatus.Ok, result.Status);
                Assert.InRange(result.BytesWritten, TsPacket.Size, bound);
                Assert.Equal(0, result.BytesWritten % TsPacket.Size);
            }
        }
    }

    [Theory]
    [InlineData(65_517, 65_535)]
    [InlineData(65_518, 0)]
    public void GivesAVideoPesItsLengthWhenItFitsAndLeavesItUnboundedWhenNot(int sliceLength, int expected)
    {
        // An inter frame's PES after the length field: flags and PTS 8, AUD 6, start code 4, the slice.
        var muxer = H264Muxer();
        TsBytes.Video(muxer, Hex.Bytes(TsSamples.IdrFrame), 0, key: true);
        var frame = new byte[4 + sliceLength];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(frame, sliceLength);
        frame[4] = 0x41;

        var pes = Payload(TsBytes.Packets(TsBytes.Video(muxer, frame, 40)));

        Assert.True(PesHeader.TryParse(pes, out var header));
        Assert.Equal(expected, header.PacketLength);
        Assert.Equal(18 + sliceLength, pes.Length - 6);
    }

    [Fact]
    public void TheBoundIsZeroWithoutAConfigOrForAnOversizedFrame()
    {
        Assert.Equal(0, new TsMuxer().MaxVideoLength(100));
        Assert.Equal(0, H264Muxer().MaxVideoLength(TsMuxer.MaxFrameLength + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => H264Muxer().MaxVideoLength(-1));
    }

    internal static TsMuxer H264Muxer()
    {
        var muxer = new TsMuxer();
        Assert.Equal(TsMuxStatus.Ok, muxer.SetAvcConfig(Hex.Bytes(TsSamples.AvcRecord)));
        return muxer;
    }

    /// <summary>The payload bytes of packets (after any adaptation field), concatenated.</summary>
    internal static byte[] Payload(byte[][] packets)
    {
        var bytes = new List<byte>();
        foreach (var packet in packets)
        {
            var start = (packet[3] & 0x20) != 0 ? 5 + packet[4] : 4;
            bytes.AddRange(packet.AsSpan(start).ToArray());
        }
        return [.. bytes];
    }

    private static int Count(byte[] ts) => ts.Length / TsPacket.Size;
}
