using Appliance.Node.Hosting;
using System.Buffers;
using Appliance.Core.Time;
using Appliance.Node.Config;
using Appliance.Streaming.Fanout;
using Appliance.Node.Logging;
using Appliance.Node.Server;
using Appliance.Node.Sessions;
using Appliance.Protocols.Rtmp;
using Appliance.Core.Connections;

namespace Appliance.Node.Rtmp;

/// <summary>
/// One RTMP connection, server side: handshake, then chunked messages until the peer leaves.
/// It may publish one stream or play one stream. Anything malformed ends this connection only,
/// with one log line naming the reason.
/// </summary>
public sealed partial class RtmpServerSession : SessionBase
{
    private readonly ServerContext _context;
    private readonly ApplianceConfig _config;
    private readonly RtmpChunkReader _chunks;
    private uint _peerWindowAck = 2_500_000;
    private long _lastAckSent;
    private string _status = "ok";
    private string _role = "rtmp";

    public RtmpServerSession(IConnection connection, ServerContext context)
        : base(connection)
    {
        _context = context;
        _config = context.Config;
        _chunks = new RtmpChunkReader(_config.Rtmp.MaxMessageBytes);
        SendStallTimeoutMs = _config.Deadlines.SendStallMs;
    }

    public override string Protocol => _role;

    private int ChunkSize => _context.Streams.Serializer.RtmpChunkSize;

    protected override int IdleTimeoutMs => _playing is null ? _config.Deadlines.IdleMs : 0;

    protected override string DeadlineReason => "handshake not completed in time";

    public string StreamDescription => _streamKey?.ToString() ?? "-";

    public override string StreamPath => StreamDescription;

    public override string Listener => "rtmp";

    public async Task RunAsync()
    {
        _context.Sessions.Add(this);
        var sendLoop = RunWriterAsync();
        string reason;
        try
        {
            SetPhaseDeadline(_config.Deadlines.HandshakeMs);
            if (await HandshakeAsync().ConfigureAwait(false))
            {
                SetPhaseDeadline(0);
                reason = await ReadLoopAsync().ConfigureAwait(false);
            }
            else
            {
                reason = "closed during handshake";
            }
        }
        catch (RtmpProtocolException ex)
        {
            reason = ex.Message;
            _status = "error";
            LiveLog.Rejected(_context.Logger, "rtmp", Client, ex.Message);
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or ObjectDisposedException or OperationCanceledException)
        {
            reason = WriterEndReason ?? "connection lost";
        }
        catch (Exception ex)
        {
            reason = "internal error";
            _status = "error";
            LiveLog.SessionFailed(_context.Logger, ex, "rtmp", Client);
        }
        reason = WriterEndReason ?? reason;
        if (AbortReason is not null)
        {
            // A deadline or a kick ended the session; the read it interrupted may have ended either way.
            reason = AbortReason;
            _status = "error";
            LiveLog.Rejected(_context.Logger, "rtmp", Client, reason);
        }
        EndPublishing(reason);
        await FinishAsync(sendLoop, reason).ConfigureAwait(false);
        // A message the peer left half-sent still holds a pooled buffer.
        _chunks.Reset();
        _context.Sessions.Remove(this);
        _context.Traffic.OnFinished(this);
        _context.AccessLog.Write(Protocol, Client, StreamDescription, _status, BytesIn, Writer.BytesWritten,
            (MonotonicClock.NowMs - StartedMs) / 1000.0, reason);
    }

    protected override void OnWriterGaveUp(string reason)
    {
        if (reason == ConnectionWriter.TooSlowReason)
        {
            LiveLog.ViewerDropped(_context.Logger, Client, StreamDescription, reason);
        }
        else
        {
            LiveLog.Rejected(_context.Logger, Protocol, Client, reason);
        }
    }

    private async Task<bool> HandshakeAsync()
    {
        var input = Connection.Input;
        var c0c1 = await input.ReadAtLeastAsync(RtmpHandshake.ClientHelloSize).ConfigureAwait(false);
        if (c0c1.Buffer.Length < RtmpHandshake.ClientHelloSize)
        {
            input.AdvanceTo(c0c1.Buffer.End);
            return false;
        }
        Writer.Send(AnswerHello(c0c1.Buffer.Slice(0, RtmpHandshake.ClientHelloSize)));
        input.AdvanceTo(c0c1.Buffer.GetPosition(RtmpHandshake.ClientHelloSize));
        Received(RtmpHandshake.ClientHelloSize);
        // C2 is not checked (ffmpeg sends a digest-form C2, not an echo of S1): just skip it.
        var c2 = await input.ReadAtLeastAsync(RtmpHandshake.PacketSize).ConfigureAwait(false);
        if (c2.Buffer.Length < RtmpHandshake.PacketSize)
        {
            input.AdvanceTo(c2.Buffer.End);
            return false;
        }
        input.AdvanceTo(c2.Buffer.GetPosition(RtmpHandshake.PacketSize));
        Received(RtmpHandshake.PacketSize);
        return true;
    }

    private static Core.Buffers.SharedBuffer AnswerHello(System.Buffers.ReadOnlySequence<byte> hello)
    {
        Span<byte> copy = stackalloc byte[RtmpHandshake.ClientHelloSize];
        var c0c1 = hello.IsSingleSegment ? hello.FirstSpan : CopyTo(hello, copy);
        var response = Core.Buffers.SharedBuffer.Rent(RtmpHandshake.ServerResponseSize);
        try
        {
            RtmpHandshake.WriteServerResponse(c0c1, response.FullSpan);
        }
        catch
        {
            response.Release();
            throw;
        }
        response.Length = RtmpHandshake.ServerResponseSize;
        return response;
    }

    private static ReadOnlySpan<byte> CopyTo(System.Buffers.ReadOnlySequence<byte> sequence, Span<byte> destination)
    {
        sequence.CopyTo(destination);
        return destination;
    }

    private void Received(int count)
    {
        BytesIn += count;
        MarkReceived();
    }

    private async Task<string> ReadLoopAsync()
    {
        var input = Connection.Input;
        while (true)
        {
            var result = await input.ReadAsync().ConfigureAwait(false);
            var buffer = result.Buffer;
            var consumed = ParseMessages(buffer, out var stop);
            if (_deferred is { } verdict)
            {
                // An auth callback is out: leave later messages unexamined and act on them after it.
                input.AdvanceTo(consumed);
                _deferred = null;
                stop = await verdict.ConfigureAwait(false);
                if (stop is not null)
                {
                    return stop;
                }
                continue;
            }
            input.AdvanceTo(consumed, buffer.End);
            if (stop is not null)
            {
                return stop;
            }
            if (result.IsCompleted)
            {
                return "peer closed";
            }
        }
    }

    private SequencePosition ParseMessages(ReadOnlySequence<byte> buffer, out string? stop)
    {
        stop = null;
        var reader = new SequenceReader<byte>(buffer);
        var before = _chunks.BytesRead;
        try
        {
            while (_chunks.TryReadMessage(ref reader, out var message))
            {
                try
                {
                    stop = HandleMessage(message);
                }
                finally
                {
                    message.Payload.Release();
                }
                if (stop is not null || _deferred is not null)
                {
                    break;
                }
            }
        }
        finally
        {
            var read = _chunks.BytesRead - before;
            if (read > 0)
            {
                BytesIn += read;
                MarkReceived();
                MaybeAcknowledge();
            }
        }
        return reader.Position;
    }

    private void MaybeAcknowledge()
    {
        var total = _chunks.BytesRead + 1 + 2 * RtmpHandshake.PacketSize;
        if (_peerWindowAck > 0 && total - _lastAckSent >= _peerWindowAck)
        {
            _lastAckSent = total;
            Writer.Send(RtmpReplies.ControlMessage(span => RtmpControl.WriteAcknowledgement(span, unchecked((uint)total))));
        }
    }

    /// <summary>Returns a reason to end the session, or null to go on.</summary>
    private string? HandleMessage(in RtmpMessage message)
    {
        switch (message.TypeId)
        {
            case RtmpMessageType.SetChunkSize:
                _chunks.ChunkSize = RtmpControl.ReadSetChunkSize(message.Payload.Span);
                return null;
            case RtmpMessageType.Abort:
                _chunks.Abort((int)RtmpControl.ReadUInt32(message.Payload.Span, "abort"));
                return null;
            case RtmpMessageType.Acknowledgement:
                return null;
            case RtmpMessageType.WindowAckSize:
                _peerWindowAck = RtmpControl.ReadUInt32(message.Payload.Span, "window acknowledgement size");
                return null;
            case RtmpMessageType.SetPeerBandwidth:
                return null;
            case RtmpMessageType.UserControl:
                HandleUserControl(message);
                return null;
            case RtmpMessageType.Audio:
            case RtmpMessageType.Video:
            case RtmpMessageType.DataAmf0:
            case RtmpMessageType.DataAmf3:
            case RtmpMessageType.Aggregate:
                return HandleMedia(message);
            case RtmpMessageType.CommandAmf0:
                return HandleCommand(message.Payload.Span, message.StreamId);
            case RtmpMessageType.CommandAmf3:
                // An AMF3 command message is a format byte followed by AMF0 values.
                return message.Payload.Length == 0 ? null : HandleCommand(message.Payload.Span[1..], message.StreamId);
            case RtmpMessageType.SharedObjectAmf0:
            case RtmpMessageType.SharedObjectAmf3:
                LiveLog.Ignored(_context.Logger, Client, "shared object message");
                return null;
            default:
                throw new RtmpProtocolException($"unknown message type {message.TypeId}");
        }
    }

    private void HandleUserControl(in RtmpMessage message)
    {
        var eventType = RtmpControl.ReadUserControl(message.Payload.Span, out var value);
        if (eventType == UserControlEvent.PingRequest)
        {
            Writer.Send(RtmpReplies.ControlMessage(s => RtmpControl.WritePingResponse(s, value)));
        }
    }
}
