using Appliance.Protocols.Rtmp;

namespace Appliance.Protocols.Tests.Rtmp;

public class RtmpControlTests
{
    public static TheoryData<string, string> Messages => new()
    {
        { "SetChunkSize 4096", "02 000000 000004 01 00000000 00001000" },
        { "Acknowledgement", "02 000000 000004 03 00000000 01020304" },
        { "WindowAckSize 2500000", "02 000000 000004 05 00000000 002625A0" },
        { "SetPeerBandwidth 2500000 dynamic", "02 000000 000005 06 00000000 002625A0 02" },
        { "StreamBegin 1", "02 000000 000006 04 00000000 0000 00000001" },
        { "StreamEof 1", "02 000000 000006 04 00000000 0001 00000001" },
        { "PingRequest", "02 000000 000006 04 00000000 0006 11223344" },
        { "PingResponse", "02 000000 000006 04 00000000 0007 11223344" },
        { "SetBufferLength 1 1000", "02 000000 00000A 04 00000000 0003 00000001 000003E8" },
    };

    [Theory]
    [MemberData(nameof(Messages))]
    public void WritesExactBytes(string name, string hex)
    {
        var dest = new byte[RtmpControl.MaxControlLength];

        var written = Write(name, dest);

        Assert.Equal(Hex.Bytes(hex), dest[..written]);
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void ReaderSeesOneControlMessageOnStreamZero(string name, string hex)
    {
        var message = Assert.Single(ReadMessage.All(new RtmpChunkReader(), Hex.Bytes(hex)));

        Assert.Equal(2, message.ChunkStreamId);
        Assert.Equal(0u, message.StreamId);
        Assert.Equal(0u, message.Timestamp);
        Assert.Equal(Hex.Bytes(hex)[12..], message.Payload);
        Assert.NotEmpty(name);
    }

    [Fact]
    public void ReadsUserControlEvents()
    {
        var eventType = RtmpControl.ReadUserControl(Hex.Bytes("0006 11223344"), out var value);

        Assert.Equal(UserControlEvent.PingRequest, eventType);
        Assert.Equal(0x11223344u, value);
    }

    private static int Write(string name, Span<byte> dest) => name switch
    {
        "SetChunkSize 4096" => RtmpControl.WriteSetChunkSize(dest, 4096),
        "Acknowledgement" => RtmpControl.WriteAcknowledgement(dest, 0x01020304),
        "WindowAckSize 2500000" => RtmpControl.WriteWindowAckSize(dest, 2_500_000),
        "SetPeerBandwidth 2500000 dynamic" => RtmpControl.WriteSetPeerBandwidth(dest, 2_500_000, RtmpControl.LimitDynamic),
        "StreamBegin 1" => RtmpControl.WriteUserControl(dest, UserControlEvent.StreamBegin, 1),
        "StreamEof 1" => RtmpControl.WriteUserControl(dest, UserControlEvent.StreamEof, 1),
        "PingRequest" => RtmpControl.WriteUserControl(dest, UserControlEvent.PingRequest, 0x11223344),
        "PingResponse" => RtmpControl.WritePingResponse(dest, 0x11223344),
        "SetBufferLength 1 1000" => RtmpControl.WriteSetBufferLength(dest, 1, 1000),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };
}
