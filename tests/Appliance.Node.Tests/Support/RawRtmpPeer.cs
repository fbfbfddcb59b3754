using System.Buffers;
using System.IO.Pipelines;
using Appliance.Codecs.Amf0;
using Appliance.Protocols.Rtmp;
using Appliance.Tests.Support;

namespace Appliance.Node.Tests.Support;

internal sealed record ReceivedMessage(byte TypeId, uint Timestamp, uint StreamId, byte[] Payload);

/// <summary>
/// The client end of an RTMP connection at the byte level, for what a well-behaved client never
/// sends: raw chunks, bad AMF, unknown message types, oversized announcements.
/// </summary>
internal sealed class RawRtmpPeer(PipeConnection connection)
{
    private readonly RtmpChunkReader _chunks = new();
    private readonly PipeReader _output = connection.ServerOutput;

    public PipeConnection Connection => connection;

    public async Task HandshakeAsync(CancellationToken ct)
    {
        var c0c1 = new byte[RtmpHandshake.ClientHelloSize];
        RtmpHandshake.WriteClientHello(c0c1);
        await connection.SendAsync(c0c1);
        var s0s1s2 = await ReadExactlyAsync(RtmpHandshake.ServerResponseSize, ct);
        Assert.Equal(RtmpHandshake.Version, s0s1s2[0]);
        await connection.SendAsync(s0s1s2.AsMemory(1, RtmpHandshake.PacketSize));
    }

    /// <summary>Sends one message in chunks of the default 128 bytes.</summary>
    public Task SendMessageAsync(int chunkStream, uint timestamp, byte typeId, uint streamId, ReadOnlySpan<byte> payload)
    {
        var bytes = new byte[RtmpChunkWriter.MaxLength(payload.Length, RtmpChunkReader.DefaultChunkSize, chunkStream)];
        var length = RtmpChunkWriter.Write(bytes, chunkStream, timestamp, typeId, streamId, payload, RtmpChunkReader.DefaultChunkSize);
        return connection.SendAsync(bytes.AsMemory(0, length));
    }

    public Task SendCommandAsync(string name, double transactionId, Amf0Value? commandObject, params Amf0Value[] args) =>
        SendMessageAsync(RtmpCommand.ChunkStreamId, 0, RtmpMessageType.CommandAmf0, 0, RtmpCommand.Encode(name, transactionId, commandObject, args));

    /// <summary>A peer on <paramref name="connection"/> through the handshake, connect to <paramref name="app"/> and createStream, each answered.</summary>
    public static async Task<RawRtmpPeer> WithStreamAsync(PipeConnection connection, string app, CancellationToken ct)
    {
        var peer = new RawRtmpPeer(connection);
        await peer.HandshakeAsync(ct);
        await peer.ConnectAsync(app);
        await peer.ReadUntilAsync(m => AsCommand(m)?.Name == "_result", "connect's _result", ct);
        await peer.SendCommandAsync("createStream", 2, null);
        await peer.ReadUntilAsync(m => AsCommand(m) is { Name: "_result", TransactionId: 2 }, "createStream's _result", ct);
        return peer;
    }

    public Task ConnectAsync(string app) =>
        SendCommandAsync("connect", 1, Amf0Value.Object(Amf0Value.Prop("app", app), Amf0Value.Prop("tcUrl", $"rtmp://localhost/{app}")));

    /// <summary>The next message (Set Chunk Size is applied on the way), or null when the server closed.</summary>
    public async Task<ReceivedMessage?> ReadMessageAsync(CancellationToken ct)
    {
        while (true)
        {
            var result = await _output.ReadAsync(ct);
            var message = TryParse(result.Buffer, out var consumed, out var examined);
            _output.AdvanceTo(consumed, examined);
            if (message is not null)
            {
                if (message.TypeId == RtmpMessageType.SetChunkSize)
                {
                    _chunks.ChunkSize = RtmpControl.ReadSetChunkSize(message.Payload);
                }
                return message;
            }
            if (result.IsCompleted)
            {
                return null;
            }
        }
    }

    /// <summary>Reads until a message matches; fails if the connection ends first.</summary>
    public async Task<ReceivedMessage> ReadUntilAsync(Func<ReceivedMessage, bool> match, string what, CancellationToken ct)
    {
        while (true)
        {
            var message = await ReadMessageAsync(ct) ?? throw new Xunit.Sdk.XunitException($"connection closed before {what}");
            if (match(message))
            {
                return message;
            }
        }
    }

    /// <summary>Reads and drops everything until the server closes the connection.</summary>
    public async Task<List<ReceivedMessage>> ReadToEndAsync(CancellationToken ct)
    {
        var all = new List<ReceivedMessage>();
        while (await ReadMessageAsync(ct) is { } message)
        {
            all.Add(message);
        }
        return all;
    }

    public static RtmpCommandMessage? AsCommand(ReceivedMessage message) =>
        message.TypeId == RtmpMessageType.CommandAmf0 ? RtmpCommand.Decode(message.Payload) : null;

    private ReceivedMessage? TryParse(ReadOnlySequence<byte> buffer, out SequencePosition consumed, out SequencePosition examined)
    {
        var reader = new SequenceReader<byte>(buffer);
        if (_chunks.TryReadMessage(ref reader, out var message))
        {
            consumed = examined = reader.Position;
            var received = new ReceivedMessage(message.TypeId, message.Timestamp, message.StreamId, message.Payload.Span.ToArray());
            message.Payload.Release();
            return received;
        }
        consumed = reader.Position;
        examined = buffer.End;
        return null;
    }

    private async Task<byte[]> ReadExactlyAsync(int count, CancellationToken ct)
    {
        while (true)
        {
            var result = await _output.ReadAsync(ct);
            if (result.Buffer.Length >= count)
            {
                var bytes = result.Buffer.Slice(0, count).ToArray();
                _output.AdvanceTo(result.Buffer.GetPosition(count));
                return bytes;
            }
            if (result.IsCompleted)
            {
                throw new Xunit.Sdk.XunitException($"connection closed after {result.Buffer.Length} of {count} bytes");
            }
            _output.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }
}
