using Appliance.Codecs.MpegTs;
using Appliance.Relay.Pull;

namespace Appliance.Relay.Tests.Pull;

public sealed class ParentMediaTimePacketTests
{
    [Theory]
    [InlineData(0L)]
    [InlineData(3_600_000L)]
    [InlineData((1L << 32) + 12_345)]
    [InlineData(1L << 53)]
    public void ThePacketCarriesTheMediaTimeOnAPidNoPmtLists(long ms)
    {
        var packet = ParentMediaTimePacket.Create(ms);

        Assert.Equal(188, packet.Length);
        Assert.Equal(0x47, packet[0]);
        Assert.Equal(ParentMediaTimePacket.Pid, (packet[1] & 0x1F) << 8 | packet[2]);
        Assert.True(ParentMediaTimePacket.TryRead(packet, out var read, out var problem));
        Assert.Null(problem);
        Assert.Equal(ms, read);
    }

    [Fact]
    public void PlayersDemuxersSkipIt()
    {
        // Before a stream's own PAT: a demuxer finds no program in it and nothing to hand out.
        var demuxer = new TsDemuxer();
        demuxer.Write(ParentMediaTimePacket.Create(42));
        Assert.False(demuxer.TryRead(out _));
        Assert.Equal(0, demuxer.SyncLosses);
        Assert.Equal(0, demuxer.MalformedPackets);
    }

    [Fact]
    public void AnotherPacketIsNotIt()
    {
        var packet = new byte[188];
        packet[0] = 0x47;
        packet[1] = 0x40;
        Assert.False(ParentMediaTimePacket.TryRead(packet, out var ms, out var problem));
        Assert.Null(ms);
        Assert.Null(problem);
        Assert.False(ParentMediaTimePacket.TryRead(ParentMediaTimePacket.Create(1).AsSpan(0, 100), out _, out _));
    }

    [Theory]
    [InlineData("appliance-media-time-ms=12x", "is not a decimal number")]
    [InlineData("appliance-media-time-ms=99999999999999999", "is not a decimal number")]
    [InlineData("something-else=1", "does not start with appliance-media-time-ms=")]
    public void ABadValueIsItButSaysWhy(string payload, string expected)
    {
        var packet = ParentMediaTimePacket.Create(0);
        packet.AsSpan(4).Fill(0xFF);
        System.Text.Encoding.ASCII.GetBytes(payload, packet.AsSpan(4));
        Assert.True(ParentMediaTimePacket.TryRead(packet, out var ms, out var problem));
        Assert.Null(ms);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }
}
