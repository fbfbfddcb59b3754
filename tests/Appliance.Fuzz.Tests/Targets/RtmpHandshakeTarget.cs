using System.Buffers.Binary;
using Appliance.Fuzz.Tests.Engine;
using Appliance.Fuzz.Tests.Seeds;
using Appliance.Protocols.Rtmp;

namespace Appliance.Fuzz.Tests.Targets;

/// <summary>
/// The server side of the handshake: C0+C1 (the first 1537 bytes, zero-filled when shorter) answered
/// with S0+S1+S2. Refusal: <see cref="RtmpHandshakeException"/> (an <see cref="RtmpProtocolException"/>).
/// </summary>
public sealed class RtmpHandshakeTarget : FuzzTarget
{
    public override string Name => "rtmp-handshake";

    public override IEnumerable<byte[]> Seeds()
    {
        yield return Rtmp.PlainHello(1);
        yield return Rtmp.DigestHello(2, scheme: 1);
        yield return Rtmp.DigestHello(3, scheme: 0);
    }

    public override IReadOnlyList<byte[]> Dictionary { get; } = [[0x03], [0x06], [0x08], [0x80, 0x00, 0x07, 0x02], [0x09, 0x00, 0x7C, 0x02], [0, 0, 0, 0]];

    public override bool IsExpected(Exception exception) => exception is RtmpProtocolException;

    public override void Run(ReadOnlySpan<byte> input)
    {
        Span<byte> hello = stackalloc byte[RtmpHandshake.ClientHelloSize];
        hello.Clear();
        input[..Math.Min(input.Length, hello.Length)].CopyTo(hello);
        var response = new byte[RtmpHandshake.ServerResponseSize];
        RtmpHandshake.WriteServerResponse(hello, response);

        FuzzInvariantException.Check(response[0] == RtmpHandshake.Version, "S0: version is not 3");
        var c1 = hello[1..];
        var s2 = response.AsSpan(1 + RtmpHandshake.PacketSize);
        var plain = BinaryPrimitives.ReadUInt32BigEndian(c1[4..]) == 0;
        var echoed = s2.SequenceEqual(c1);
        Feedback.Note("echo", echoed ? 1 : 0);
        if (plain)
        {
            FuzzInvariantException.Check(echoed, "plain handshake: S2 is not the echo of C1");
        }
    }
}
