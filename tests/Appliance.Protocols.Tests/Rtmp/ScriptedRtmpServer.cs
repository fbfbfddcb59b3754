using System.Buffers;
using System.IO.Pipelines;
using Appliance.Codecs.Amf0;
using Appliance.Protocols.Rtmp;

namespace Appliance.Protocols.Tests.Rtmp;

/// <summary>
/// The server side of a client test, driven step by step by the test: it handshakes, expects the
/// client's commands and answers them with the library's own writer.
/// </summary>
internal sealed class ScriptedRtmpServer(IDuplexPipe pipe)
{
    private readonly RtmpChunkReader _chunks = new();
    private int _outChunkSize = 128;

    /// <summary>
    /// Runs the server's part; if it fails, the connection closes so the client under test stops
    /// waiting, and awaiting the returned task shows the server's failure.
    /// </summary>
    public Task RunAsync(Func<Task> script) => Task.Run(async () =>
    {
        try
        {
            await script();
        }
        catch (Exception e)
        {
            await pipe.Output.CompleteAsync(e);
            throw;
        }
    });

    public async Task HandshakeAsync(CancellationToken ct)
    {
        var hello = await ReadExactlyAsync(RtmpHandshake.ClientHelloSize, ct);
        var response = new byte[RtmpHandshake.ServerResponseSize];
        RtmpHandshake.WriteServerResponse(hello, response);
        await pipe.Output.WriteAsync(response, ct);
        var c2 = await ReadExactlyAsync(RtmpHandshake.PacketSize, ct);
        Assert.Equal(response[1..1537], c2);
    }

    /// <summary>The next message of any kind; applies Set Chunk Size on the way.</summary>
    public async Task<ReadMessage> ReadAsync(CancellationToken ct)
    {
        while (true)
        {
            var result = await pipe.Input.ReadAsync(ct);
            var reader = new SequenceReader<byte>(result.Buffer);
            var complete = TryRead(ref reader, out var message);
            pipe.Input.AdvanceTo(reader.Position, complete ? reader.Position : result.Buffer.End);
            if (complete)
            {
                if (message!.TypeId == RtmpMessageType.SetChunkSize)
                {
                    _chunks.ChunkSize = RtmpControl.ReadSetChunkSize(message.Payload);
                }
                return message;
            }
            Assert.False(result.IsCompleted, "The client closed the connection.");
        }
    }

    /// <summary>Skips control messages up to the command <paramref name="name"/>.</summary>
    public async Task<(RtmpCommandMessage Command, ReadMessage Message)> ExpectCommandAsync(string name, CancellationToken ct)
    {
        while (true)
        {
            var message = await ReadAsync(ct);
            if (message.TypeId == RtmpMessageType.CommandAmf0)
            {
                var command = RtmpCommand.Decode(message.Payload);
                Assert.Equal(name, command.Name);
                return (command, message);
            }
        }
    }

    public async Task<bool> IsClosedAsync(CancellationToken ct)
    {
        var result = await pipe.Input.ReadAsync(ct);
        pipe.Input.AdvanceTo(result.Buffer.End);
        return result.IsCompleted && result.Buffer.IsEmpty;
    }

    public Task SendCommandAsync(uint streamId, string name, double transactionId, Amf0Value? commandObject,
        CancellationToken ct, params Amf0Value[] args) =>
        SendAsync(3, 0, RtmpMessageType.CommandAmf0, streamId, RtmpCommand.Encode(name, transactionId, commandObject, args), ct);

    public Task SendStatusAsync(uint streamId, string level, string code, string description, CancellationToken ct) =>
        SendCommandAsync(streamId, "onStatus", 0, null, ct, Amf0Value.Object(
            Amf0Value.Prop("level", level), Amf0Value.Prop("code", code), Amf0Value.Prop("description", description)));

    public async Task SendAsync(int chunkStreamId, uint timestamp, byte typeId, uint streamId, byte[] payload, CancellationToken ct)
    {
        var dest = new byte[RtmpChunkWriter.MaxLength(payload.Length, _outChunkSize, chunkStreamId)];
        var written = RtmpChunkWriter.Write(dest, chunkStreamId, timestamp, typeId, streamId, payload, _outChunkSize);
        await pipe.Output.WriteAsync(dest.AsMemory(0, written), ct);
    }

    public async Task SendControlAsync(Func<byte[], int> write, CancellationToken ct)
    {
        var dest = new byte[RtmpControl.MaxControlLength];
        var written = write(dest);
        await pipe.Output.WriteAsync(dest.AsMemory(0, written), ct);
    }

    public async Task SetChunkSizeAsync(int size, CancellationToken ct)
    {
        await SendControlAsync(d => RtmpControl.WriteSetChunkSize(d, size), ct);
        _outChunkSize = size;
    }

    /// <summary>Answers connect the way nginx-rtmp does, with control messages first.</summary>
    public async Task AcceptConnectAsync(CancellationToken ct)
    {
        var (connect, _) = await ExpectCommandAsync("connect", ct);
        await SendControlAsync(d => RtmpControl.WriteWindowAckSize(d, 5_000_000), ct);
        await SendControlAsync(d => RtmpControl.WriteSetPeerBandwidth(d, 5_000_000, RtmpControl.LimitDynamic), ct);
        await SetChunkSizeAsync(4000, ct);
        await SendCommandAsync(0, "_result", connect.TransactionId,
            Amf0Value.Object(Amf0Value.Prop("fmsVer", "FMS/3,0,1,123"), Amf0Value.Prop("capabilities", 31)), ct,
            Amf0Value.Object(Amf0Value.Prop("level", "status"), Amf0Value.Prop("code", "NetConnection.Connect.Success")));
    }

    /// <summary>Answers createStream with stream id 1 and returns the transaction id.</summary>
    public async Task AcceptCreateStreamAsync(CancellationToken ct)
    {
        var (create, _) = await ExpectCommandAsync("createStream", ct);
        await SendCommandAsync(0, "_result", create.TransactionId, null, ct, Amf0Value.FromNumber(1));
    }

    public Task CloseAsync() => pipe.Output.CompleteAsync().AsTask();

    private bool TryRead(ref SequenceReader<byte> reader, out ReadMessage? message)
    {
        if (_chunks.TryReadMessage(ref reader, out var raw))
        {
            message = ReadMessage.Take(raw);
            return true;
        }
        message = null;
        return false;
    }

    private async Task<byte[]> ReadExactlyAsync(int length, CancellationToken ct)
    {
        var result = await pipe.Input.ReadAtLeastAsync(length, ct);
        Assert.True(result.Buffer.Length >= length, "The client closed during the handshake.");
        var bytes = result.Buffer.Slice(0, length).ToArray();
        pipe.Input.AdvanceTo(result.Buffer.GetPosition(length));
        return bytes;
    }
}
