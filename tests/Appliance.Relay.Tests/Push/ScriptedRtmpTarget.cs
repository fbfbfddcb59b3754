using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Appliance.Codecs.Amf0;
using Appliance.Protocols.Rtmp;

namespace Appliance.Relay.Tests.Push;

/// <summary>
/// A minimal RTMP server on loopback that accepts a publish and answers createStream with a chosen
/// message stream id (real servers give 1; this one can give anything), then takes media in silence.
/// </summary>
internal sealed class ScriptedRtmpTarget : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly uint _streamId;
    private readonly Task _loop;
    private long _mediaMessages;
    private long _bytesReceived;
    private long _bytesSent;

    public ScriptedRtmpTarget(uint streamId)
    {
        _streamId = streamId;
        _listener.Start();
        _loop = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Audio and video messages received on the publish stream.</summary>
    public long MediaMessages => Interlocked.Read(ref _mediaMessages);

    /// <summary>Bytes of whole chunks (and the handshake) read from the publisher, over all its sessions.</summary>
    public long BytesReceived => Interlocked.Read(ref _bytesReceived);

    /// <summary>Bytes written to the publisher (handshake and answers), over all its sessions.</summary>
    public long BytesSent => Interlocked.Read(ref _bytesSent);

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var socket = await _listener.AcceptSocketAsync(_stop.Token);
                _ = ServeAsync(socket);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using var stream = new NetworkStream(socket, ownsSocket: true);
        var input = PipeReader.Create(stream);
        var chunks = new RtmpChunkReader();
        try
        {
            var c0c1 = new byte[RtmpHandshake.ClientHelloSize];
            await stream.ReadExactlyAsync(c0c1, _stop.Token);
            var s0s1s2 = new byte[RtmpHandshake.ServerResponseSize];
            RtmpHandshake.WriteServerResponse(c0c1, s0s1s2);
            await stream.WriteAsync(s0s1s2, _stop.Token);
            Interlocked.Add(ref _bytesSent, s0s1s2.Length);
            await stream.ReadExactlyAsync(new byte[RtmpHandshake.PacketSize], _stop.Token);
            Interlocked.Add(ref _bytesReceived, c0c1.Length + RtmpHandshake.PacketSize);
            while (true)
            {
                var result = await input.ReadAsync(_stop.Token);
                var read = chunks.BytesRead;
                var (messages, consumed) = Parse(chunks, result.Buffer);
                Interlocked.Add(ref _bytesReceived, chunks.BytesRead - read);
                input.AdvanceTo(consumed, result.Buffer.End);
                foreach (var message in messages)
                {
                    await AnswerAsync(stream, message);
                }
                if (result.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException or RtmpProtocolException)
        {
        }
    }

    // A SetChunkSize takes effect for the chunks after it: later messages of this read use the new size.
    private static (List<RtmpMessage> Messages, SequencePosition Consumed) Parse(RtmpChunkReader chunks, ReadOnlySequence<byte> buffer)
    {
        var reader = new SequenceReader<byte>(buffer);
        var messages = new List<RtmpMessage>();
        while (chunks.TryReadMessage(ref reader, out var message))
        {
            if (message.TypeId == RtmpMessageType.SetChunkSize)
            {
                chunks.ChunkSize = RtmpControl.ReadSetChunkSize(message.Payload.Span);
            }
            messages.Add(message);
        }
        return (messages, reader.Position);
    }

    private async Task AnswerAsync(NetworkStream stream, RtmpMessage message)
    {
        try
        {
            switch (message.TypeId)
            {
                case RtmpMessageType.Audio or RtmpMessageType.Video:
                    Interlocked.Increment(ref _mediaMessages);
                    return;
                case not RtmpMessageType.CommandAmf0:
                    return;
            }
            var command = RtmpCommand.Decode(message.Payload.Span);
            switch (command.Name)
            {
                case "connect":
                    await SendAsync(stream, 0, RtmpCommand.Encode("_result", command.TransactionId, Amf0Value.Null,
                        Amf0Value.Object(Amf0Value.Prop("code", "NetConnection.Connect.Success"))));
                    break;
                case "createStream":
                    await SendAsync(stream, 0, RtmpCommand.Encode("_result", command.TransactionId, Amf0Value.Null, Amf0Value.FromNumber(_streamId)));
                    break;
                case "publish":
                    await SendAsync(stream, _streamId, RtmpCommand.Encode("onStatus", 0, Amf0Value.Null,
                        Amf0Value.Object(Amf0Value.Prop("level", "status"), Amf0Value.Prop("code", "NetStream.Publish.Start"))));
                    break;
            }
        }
        finally
        {
            message.Payload.Release();
        }
    }

    private async Task SendAsync(NetworkStream stream, uint streamId, byte[] payload)
    {
        var bytes = new byte[RtmpChunkWriter.MaxLength(payload.Length, RtmpChunkReader.DefaultChunkSize, RtmpCommand.ChunkStreamId)];
        var length = RtmpChunkWriter.Write(bytes, RtmpCommand.ChunkStreamId, 0, RtmpMessageType.CommandAmf0, streamId, payload, RtmpChunkReader.DefaultChunkSize);
        await stream.WriteAsync(bytes.AsMemory(0, length), _stop.Token);
        Interlocked.Add(ref _bytesSent, length);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        _stop.Dispose();
    }
}
