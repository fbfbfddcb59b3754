using System.Buffers;
using Appliance.Codecs.Amf0;

namespace Appliance.Protocols.Rtmp;

// The conversation under the public calls: handshake, commands and their answers, control messages.
public sealed partial class RtmpClient
{
    // Media that arrives before Play.Start is kept for ReadMediaAsync, up to a bound.
    private const int MaxEarlyMedia = 1024;

    private uint _serverWindowAckSize;
    private long _lastAcknowledged;

    private async Task HandshakeAsync(CancellationToken ct)
    {
        RtmpHandshake.WriteClientHello(_output.GetSpan(RtmpHandshake.ClientHelloSize));
        _output.Advance(RtmpHandshake.ClientHelloSize);
        await FlushCountedAsync(ct).ConfigureAwait(false);

        var result = await _input.ReadAtLeastAsync(RtmpHandshake.ServerResponseSize, ct).ConfigureAwait(false);
        var buffer = result.Buffer;
        if (buffer.Length < RtmpHandshake.ServerResponseSize)
        {
            _input.AdvanceTo(buffer.Start, buffer.End);
            throw new RtmpHandshakeException("The server closed the connection during the handshake.");
        }
        var version = buffer.FirstSpan[0];
        if (version != RtmpHandshake.Version)
        {
            _input.AdvanceTo(buffer.Start, buffer.End);
            throw new RtmpHandshakeException($"The server answered with RTMP version {version}.");
        }
        // C2 echoes S1; S2 (the echo of our C1) needs no check for the plain handshake.
        buffer.Slice(1, RtmpHandshake.PacketSize).CopyTo(_output.GetSpan(RtmpHandshake.PacketSize));
        _output.Advance(RtmpHandshake.PacketSize);
        _input.AdvanceTo(buffer.GetPosition(RtmpHandshake.ServerResponseSize));
    }

    private async Task SendConnectAsync(string app, string tcUrl, CancellationToken ct)
    {
        var transactionId = NextTransactionId();
        var commandObject = Amf0Value.Object(
            Amf0Value.Prop("app", app),
            Amf0Value.Prop("type", "nonprivate"),
            Amf0Value.Prop("flashVer", FlashVersion),
            Amf0Value.Prop("tcUrl", tcUrl),
            Amf0Value.Prop("fpad", false),
            Amf0Value.Prop("capabilities", 15),
            Amf0Value.Prop("audioCodecs", 3191),
            Amf0Value.Prop("videoCodecs", 252),
            Amf0Value.Prop("videoFunction", 1));
        // Goes out with C2 in one write.
        await SendCommandAsync(RtmpCommand.ChunkStreamId, 0, "connect", transactionId, commandObject, ct).ConfigureAwait(false);
        await WaitForResultAsync(transactionId, ct).ConfigureAwait(false);

        var control = new byte[2 * RtmpControl.MaxControlLength];
        var length = RtmpControl.WriteWindowAckSize(control, OurWindowAckSize);
        length += RtmpControl.WriteSetChunkSize(control.AsSpan(length), OutgoingChunkSize);
        await _writeLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            _output.Write(control.AsSpan(0, length));
            _outChunkSize = OutgoingChunkSize;
            await FlushCountedAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task CreateStreamAsync(CancellationToken ct)
    {
        var transactionId = NextTransactionId();
        await SendCommandAsync(RtmpCommand.ChunkStreamId, 0, "createStream", transactionId, null, ct).ConfigureAwait(false);
        var result = await WaitForResultAsync(transactionId, ct).ConfigureAwait(false);
        if (result.FirstArgument is not { Kind: Amf0Kind.Number } id || id.Number < 1 || id.Number > uint.MaxValue)
        {
            throw new RtmpProtocolException("createStream answered without a valid stream id.");
        }
        _streamId = (uint)id.Number;
    }

    /// <summary>Waits for _result of <paramref name="transactionId"/>; _error throws with the server's description.</summary>
    private async Task<RtmpCommandMessage> WaitForResultAsync(double transactionId, CancellationToken ct)
    {
        while (true)
        {
            var command = await ReadCommandAsync(ct).ConfigureAwait(false);
            if (command.TransactionId != transactionId)
            {
                continue;
            }
            if (command.Name == "_result")
            {
                return command;
            }
            if (command.Name == "_error")
            {
                var info = command.FirstArgument ?? command.CommandObject;
                var code = info?.GetString("code");
                var description = info?.GetString("description");
                throw new RtmpProtocolException(
                    $"The server refused: {description ?? code ?? "no description"} (transaction {transactionId}).");
            }
        }
    }

    private async Task WaitForStatusAsync(string successCode, CancellationToken ct)
    {
        while (true)
        {
            var command = await ReadCommandAsync(ct).ConfigureAwait(false);
            if (command.Name == "_error")
            {
                var info = command.FirstArgument ?? command.CommandObject;
                throw new RtmpStatusException(info?.GetString("code") ?? "_error", info?.GetString("description"));
            }
            if (command.Name != "onStatus")
            {
                continue;
            }
            var status = StatusInfo(command);
            var code = status?.GetString("code");
            if (code == successCode)
            {
                StartStatus = status;
                return;
            }
            if (code is not null && IsFailure(code, status!.GetString("level")))
            {
                throw new RtmpStatusException(code, status.GetString("description"));
            }
        }
    }

    private static bool IsFailure(string code, string? level) =>
        level == "error"
        || code.EndsWith(".StreamNotFound", StringComparison.Ordinal)
        || code.EndsWith(".Failed", StringComparison.Ordinal)
        || code.EndsWith(".BadName", StringComparison.Ordinal)
        || code.EndsWith(".Rejected", StringComparison.Ordinal);

    // Some servers put the info object in the command object slot rather than the first argument.
    private static Amf0Value? StatusInfo(RtmpCommandMessage command) =>
        command.FirstArgument is { IsObjectLike: true } info ? info
        : command.CommandObject is { IsObjectLike: true } fallback ? fallback
        : null;

    private void ObserveCommand(RtmpCommandMessage command)
    {
        if (command.Name != "onStatus" || StatusInfo(command)?.GetString("code") is not { } code)
        {
            return;
        }
        LastStatusCode = code;
        LastStatusDescription = StatusInfo(command)!.GetString("description");
        StatusReceived?.Invoke(code);
    }

    /// <summary>The next command; media on the way is kept for <see cref="ReadMediaAsync"/>.</summary>
    private async Task<RtmpCommandMessage> ReadCommandAsync(CancellationToken ct)
    {
        while (true)
        {
            var next = await ReadMessageAsync(ct).ConfigureAwait(false)
                ?? throw new RtmpProtocolException("The server closed the connection.");
            var message = next;
            if (IsCommand(message.TypeId))
            {
                var command = DecodeAndRelease(message);
                ObserveCommand(command);
                return command;
            }
            if (IsMedia(message.TypeId))
            {
                if (_earlyMedia.Count >= MaxEarlyMedia)
                {
                    message.Payload.Release();
                    throw new RtmpProtocolException($"More than {MaxEarlyMedia} media messages before the stream started.");
                }
                _earlyMedia.Enqueue(message);
                continue;
            }
            message.Payload.Release();
        }
    }

    private static RtmpCommandMessage DecodeAndRelease(RtmpMessage message)
    {
        try
        {
            var payload = message.Payload.Span;
            // An AMF3 command is AMF0 behind a leading format byte.
            if (message.TypeId == RtmpMessageType.CommandAmf3 && payload.Length > 0)
            {
                payload = payload[1..];
            }
            return RtmpCommand.Decode(payload);
        }
        finally
        {
            message.Payload.Release();
        }
    }

    /// <summary>
    /// The next message that is not protocol or user control (those are answered here), or null when
    /// the input ends.
    /// </summary>
    private async ValueTask<RtmpMessage?> ReadMessageAsync(CancellationToken ct)
    {
        while (true)
        {
            if (!_input.TryRead(out var result))
            {
                result = await _input.ReadAsync(ct).ConfigureAwait(false);
            }
            if (!TryParse(result.Buffer, out var message))
            {
                if (result.IsCompleted || result.IsCanceled)
                {
                    return null;
                }
                continue;
            }
            await AcknowledgeIfDueAsync(ct).ConfigureAwait(false);
            if (message.TypeId is >= RtmpMessageType.SetChunkSize and <= RtmpMessageType.SetPeerBandwidth
                && message.TypeId != RtmpMessageType.UserControl)
            {
                HandleProtocolControl(message);
                continue;
            }
            if (message.TypeId == RtmpMessageType.UserControl)
            {
                await HandleUserControlAsync(message, ct).ConfigureAwait(false);
                continue;
            }
            return message;
        }
    }

    private bool TryParse(ReadOnlySequence<byte> buffer, out RtmpMessage message)
    {
        var reader = new SequenceReader<byte>(buffer);
        try
        {
            var complete = _chunks.TryReadMessage(ref reader, out message);
            // Nothing complete: everything was looked at, so wait for more bytes.
            _input.AdvanceTo(reader.Position, complete ? reader.Position : buffer.End);
            return complete;
        }
        catch
        {
            _input.AdvanceTo(buffer.Start, buffer.End);
            throw;
        }
    }

    private void HandleProtocolControl(RtmpMessage message)
    {
        try
        {
            var payload = message.Payload.Span;
            switch (message.TypeId)
            {
                case RtmpMessageType.SetChunkSize:
                    _chunks.ChunkSize = RtmpControl.ReadSetChunkSize(payload);
                    break;
                case RtmpMessageType.Abort:
                    _chunks.Abort((int)RtmpControl.ReadUInt32(payload, "Abort"));
                    break;
                case RtmpMessageType.WindowAckSize:
                    _serverWindowAckSize = RtmpControl.ReadUInt32(payload, "Window Acknowledgement Size");
                    break;
            }
        }
        finally
        {
            message.Payload.Release();
        }
    }

    private async ValueTask HandleUserControlAsync(RtmpMessage message, CancellationToken ct)
    {
        ushort eventType;
        uint value;
        try
        {
            eventType = RtmpControl.ReadUserControl(message.Payload.Span, out value);
        }
        finally
        {
            message.Payload.Release();
        }
        switch (eventType)
        {
            case UserControlEvent.StreamEof:
                StreamEofReceived = true;
                break;
            case UserControlEvent.StreamBegin:
                StreamEofReceived = false;
                break;
            case UserControlEvent.PingRequest:
                var response = new byte[RtmpControl.MaxControlLength];
                var length = RtmpControl.WritePingResponse(response, value);
                await SendRawAsync(response.AsMemory(0, length), ct).ConfigureAwait(false);
                break;
        }
    }

    private async ValueTask AcknowledgeIfDueAsync(CancellationToken ct)
    {
        // Counted from the end of the handshake, as nginx-rtmp and SRS count.
        var received = _chunks.BytesRead;
        if (_serverWindowAckSize == 0 || received - _lastAcknowledged < _serverWindowAckSize)
        {
            return;
        }
        _lastAcknowledged = received;
        var ack = new byte[RtmpControl.MaxControlLength];
        // The sequence number is the byte count modulo 2^32.
        var length = RtmpControl.WriteAcknowledgement(ack, unchecked((uint)received));
        await SendRawAsync(ack.AsMemory(0, length), ct).ConfigureAwait(false);
    }

    private async ValueTask SendCommandAsync(int chunkStreamId, uint streamId, string name, double transactionId,
        Amf0Value? commandObject, CancellationToken ct, params Amf0Value[] args)
    {
        var payload = RtmpCommand.Encode(name, transactionId, commandObject, args);
        await _writeLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            WriteMessage(chunkStreamId, 0, RtmpMessageType.CommandAmf0, streamId, payload);
            await FlushCountedAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async ValueTask SendRawAsync(ReadOnlyMemory<byte> bytes, CancellationToken ct)
    {
        await _writeLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            _output.Write(bytes.Span);
            await FlushCountedAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    // Caller holds the write lock.
    private void WriteMessage(int chunkStreamId, uint timestamp, byte typeId, uint streamId, ReadOnlySpan<byte> payload)
    {
        var span = _output.GetSpan(RtmpChunkWriter.MaxLength(payload.Length, _outChunkSize, chunkStreamId));
        var written = RtmpChunkWriter.Write(span, chunkStreamId, timestamp, typeId, streamId, payload, _outChunkSize);
        _output.Advance(written);
    }
}
