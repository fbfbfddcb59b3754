using System.Buffers;
using System.IO.Pipelines;
using Appliance.Core.Buffers;

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
    private readonly PipeReader _input;
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
        if (!await HandshakeAsync().ConfigureAwait(false))
        {
            return "closed during handshake";
        }
        _handler.OnHandshakeCompleted();
        // The read loop runs in this frame rather than in a second async method: a viewer waits
        // here for its whole life, and every frame it waits in is memory held per viewer.
        while (true)
        {
            var result = await _input.ReadAsync().ConfigureAwait(false);
            var buffer = result.Buffer;
            var consumed = ParseMessages(buffer, out var stop);
            if (_hasPending)
            {
                // A decision is out: later messages stay unexamined and are acted on after it.
                _input.AdvanceTo(consumed);
                var verdict = _pending;
                (_pending, _hasPending) = (default, false);
                stop = await verdict.ConfigureAwait(false);
                if (stop is not null)
                {
                    return stop;
                }
                continue;
            }
            _input.AdvanceTo(consumed, buffer.End);
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

    /// <summary>Releases what a message the peer left half-sent still holds; once the run is over.</summary>
    public void Dispose() => _chunks.Reset();

    private async Task<bool> HandshakeAsync()
    {
        var c0 = await _input.ReadAtLeastAsync(1).ConfigureAwait(false);
        if (c0.Buffer.IsEmpty)
        {
            _input.AdvanceTo(c0.Buffer.End);
            return false;
        }
        RtmpHandshake.CheckVersion(c0.Buffer.FirstSpan[0]);
        _input.AdvanceTo(c0.Buffer.Start);
        var c0c1 = await _input.ReadAtLeastAsync(RtmpHandshake.ClientHelloSize).ConfigureAwait(false);
        if (c0c1.Buffer.Length < RtmpHandshake.ClientHelloSize)
        {
            _input.AdvanceTo(c0c1.Buffer.End);
            return false;
        }
        _output.Send(AnswerHello(c0c1.Buffer.Slice(0, RtmpHandshake.ClientHelloSize)));
        _input.AdvanceTo(c0c1.Buffer.GetPosition(RtmpHandshake.ClientHelloSize));
        _handler.OnBytesReceived(RtmpHandshake.ClientHelloSize);
        // C2 is not checked (ffmpeg sends a digest-form C2, not an echo of S1): just skip it.
        var c2 = await _input.ReadAtLeastAsync(RtmpHandshake.PacketSize).ConfigureAwait(false);
        if (c2.Buffer.Length < RtmpHandshake.PacketSize)
        {
            _input.AdvanceTo(c2.Buffer.End);
            return false;
        }
        _input.AdvanceTo(c2.Buffer.GetPosition(RtmpHandshake.PacketSize));
        _handler.OnBytesReceived(RtmpHandshake.PacketSize);
        return true;
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
