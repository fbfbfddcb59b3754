using System.Buffers;
using System.IO.Pipelines;
using Appliance.Core.Buffers;
using Appliance.Core.Connections;

namespace Appliance.Protocols.Rtmp;

/// <summary>
/// The server side of one RTMP connection, as protocol: the handshake, then chunked messages until
/// the peer leaves. Control messages (chunk size, abort, acknowledgements, ping) and the replies
/// that need no decision are handled here; connect, publish, play, media and the rest go to the
/// <see cref="IRtmpServerHandler"/>, which answers through the Send methods. Sizes the peer
/// announces are checked before anything is allocated; whatever breaks the protocol throws
/// <see cref="RtmpProtocolException"/> naming it. One read loop per connection; the Send methods
/// keep no state, so they may be called from any thread the <see cref="IRtmpOutput"/> accepts.
/// </summary>
public sealed partial class RtmpServerConnection : IDisposable
{
    // Null once the read loop gave the pipe up for the transport's raw input (a player).
    private PipeReader? _input;
    private readonly IRtmpOutput _output;
    private readonly IRtmpServerHandler _handler;
    private readonly RtmpServerOptions _options;
    private readonly RtmpChunkReader _chunks;
    private uint _peerWindowAck = 2_500_000;
    private long _lastAckSent;
    private ValueTask<string?> _pending;
    private bool _hasPending;

    public RtmpServerConnection(PipeReader input, IRtmpOutput output, IRtmpServerHandler handler, RtmpServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(options);
        _input = input;
        _output = output;
        _handler = handler;
        _options = options;
        _chunks = new RtmpChunkReader(options.MaxMessageBytes);
    }

    /// <summary>
    /// Runs the connection until it ends; returns why ("closed during handshake", "peer closed", or
    /// the reason a callback gave). Throws <see cref="RtmpProtocolException"/> when the peer breaks
    /// the protocol, and the transport's exceptions when it fails.
    /// </summary>
    public async Task<string> RunAsync()
    {
        // The handshake is read by this loop too: an async method of its own left its frame behind
        // as garbage on every join. The read loop runs in this frame rather than in a second async
        // method: a viewer waits here for its whole life, and every frame it waits in is memory held
        // per viewer.
        var handshake = HandshakeStep.Version;
        IRawInput? raw = null;
        while (raw is null)
        {
            if (_rawSource is not null && TrySwitchToRawInput() is { } rawInput)
            {
                raw = rawInput;
                break;
            }
            var result = await _input!.ReadAsync().ConfigureAwait(false);
            var buffer = result.Buffer;
            if (handshake != HandshakeStep.Done)
            {
                handshake = TakeHandshake(buffer, handshake, out var taken);
                if (handshake == HandshakeStep.Done)
                {
                    // What follows C2 is left unexamined: the next read returns it at once.
                    _input!.AdvanceTo(taken);
                    _handler.OnHandshakeCompleted();
                    continue;
                }
                if (result.IsCompleted || result.IsCanceled)
                {
                    _input!.AdvanceTo(buffer.End);
                    return "closed during handshake";
                }
                _input!.AdvanceTo(taken, buffer.End);
                continue;
            }
            var consumed = ParseMessages(buffer, out var stop);
            if (_hasPending)
            {
                // A decision is out: later messages stay unexamined and are acted on after it.
                _input!.AdvanceTo(consumed);
                var verdict = _pending;
                (_pending, _hasPending) = (default, false);
                stop = await verdict.ConfigureAwait(false);
                if (stop is not null)
                {
                    return stop;
                }
                continue;
            }
            // Once the pipe is to be given up, what is left stays unexamined for the switch to take.
            _input!.AdvanceTo(consumed, _rawSource is null ? buffer.End : consumed);
            if (stop is not null)
            {
                return stop;
            }
            if (result.IsCompleted)
            {
                return "peer closed";
            }
        }

        // The same loop without the pipe, in this frame too: a player waits here for hours.
        var examine = _unread is not null;
        while (true)
        {
            if (!examine)
            {
                await raw.WaitAsync().ConfigureAwait(false);
                if (!raw.HasInput)
                {
                    continue;
                }
            }
            var stop = ReceiveAndParse(raw, receive: !examine, out var closed);
            examine = false;
            if (_hasPending)
            {
                var verdict = _pending;
                (_pending, _hasPending) = (default, false);
                stop = await verdict.ConfigureAwait(false);
                if (stop is not null)
                {
                    return stop;
                }
                // What followed the command was kept unexamined: it is acted on now.
                examine = _unread is not null;
                continue;
            }
            if (stop is not null)
            {
                return stop;
            }
            if (closed)
            {
                return "peer closed";
            }
        }
    }

    /// <summary>Releases what a message the peer left half-sent still holds; once the run is over.</summary>
    public void Dispose() => _chunks.Reset();

    /// <summary>
    /// Takes what <paramref name="buffer"/> holds of the handshake from <paramref name="step"/> on:
    /// the version byte is checked as soon as it arrives (a peer that speaks something else is refused
    /// at once, not after 1,536 more bytes or the deadline), C0+C1 is answered with S0 S1 S2 once
    /// whole, and C2 is skipped unchecked (ffmpeg sends a digest-form C2, not an echo of S1).
    /// Returns the step reached; <paramref name="taken"/> is where the bytes it consumed end.
    /// </summary>
    private HandshakeStep TakeHandshake(ReadOnlySequence<byte> buffer, HandshakeStep step, out SequencePosition taken)
    {
        taken = buffer.Start;
        if (step == HandshakeStep.Version)
        {
            if (buffer.IsEmpty)
            {
                return step;
            }
            RtmpHandshake.CheckVersion(buffer.FirstSpan[0]);
            step = HandshakeStep.Hello;
        }
        if (step == HandshakeStep.Hello)
        {
            if (buffer.Length < RtmpHandshake.ClientHelloSize)
            {
                return step;
            }
            _output.Send(AnswerHello(buffer.Slice(0, RtmpHandshake.ClientHelloSize)));
            buffer = buffer.Slice(RtmpHandshake.ClientHelloSize);
            taken = buffer.Start;
            _handler.OnBytesReceived(RtmpHandshake.ClientHelloSize);
            step = HandshakeStep.Ack;
        }
        if (buffer.Length < RtmpHandshake.PacketSize)
        {
            return step;
        }
        taken = buffer.GetPosition(RtmpHandshake.PacketSize);
        _handler.OnBytesReceived(RtmpHandshake.PacketSize);
        return HandshakeStep.Done;
    }

    private static SharedBuffer AnswerHello(ReadOnlySequence<byte> hello)
    {
        Span<byte> copy = stackalloc byte[RtmpHandshake.ClientHelloSize];
        var c0c1 = hello.IsSingleSegment ? hello.FirstSpan : CopyTo(hello, copy);
        var response = SharedBuffer.Rent(RtmpHandshake.ServerResponseSize);
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

    private static ReadOnlySpan<byte> CopyTo(ReadOnlySequence<byte> sequence, Span<byte> destination)
    {
        sequence.CopyTo(destination);
        return destination;
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
                if (stop is not null || _hasPending)
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
                _handler.OnBytesReceived(read);
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
            var ack = SharedBuffer.Rent(RtmpControl.MaxControlLength);
            SendControl(ack, RtmpControl.WriteAcknowledgement(ack.FullSpan, unchecked((uint)total)));
        }
    }

    private enum HandshakeStep : byte
    {
        /// <summary>Waiting for C0, the version byte.</summary>
        Version,

        /// <summary>Waiting for the rest of C0+C1.</summary>
        Hello,

        /// <summary>S0 S1 S2 sent; waiting for C2.</summary>
        Ack,

        Done,
    }

    /// <summary>A decision's verdict: its reason now if it has one, or later (the read loop waits for it).</summary>
    private string? Await(ValueTask<string?> verdict)
    {
        if (verdict.IsCompleted)
        {
            return verdict.Result;
        }
        (_pending, _hasPending) = (verdict, true);
        return null;
    }
}
