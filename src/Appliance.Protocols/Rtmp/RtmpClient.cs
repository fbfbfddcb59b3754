using System.IO.Pipelines;
using Appliance.Codecs.Amf0;

namespace Appliance.Protocols.Rtmp;

/// <summary>
/// A plain RTMP client for pulls, pushes, end-to-end tests and the load generator: over a duplex
/// stream the caller opened (a TCP connection from the transport's connector, in-memory pipes in
/// tests), it connects, then either plays (<see cref="PlayAsync"/> and <see cref="ReadMediaAsync"/>)
/// or publishes (<see cref="PublishAsync"/> and <see cref="SendMediaAsync"/>). Light enough to run
/// thousands per process: two pipes over the stream, a chunk reader, and no per-message allocation
/// on the media paths beyond the payload.
/// </summary>
/// <remarks>
/// One reader at a time: the connect/play/publish calls and <see cref="ReadMediaAsync"/> must not
/// overlap. <see cref="SendMediaAsync"/> may run alongside <see cref="ReadMediaAsync"/>. Throws
/// <see cref="RtmpProtocolException"/> (and its <see cref="RtmpStatusException"/>,
/// <see cref="RtmpHandshakeException"/>) for what the server says or breaks, the transport's
/// <see cref="IOException"/> while connecting or sending, and <see cref="OperationCanceledException"/>.
/// About 650 lines over three files (the calls; .Session: the message loop and protocol control;
/// .Forwarding: sending pre-chunked bytes), on purpose: they share one connection's chunk state.
/// </remarks>
public sealed partial class RtmpClient : IAsyncDisposable
{
    public const string FlashVersion = "LNX 9,0,124,2";
    private const int OutgoingChunkSize = 4096;
    private const uint OurWindowAckSize = 2_500_000;
    private const int PlayBufferMilliseconds = 1000;
    private const int MediaChunkStreamAudio = 4;
    private const int MediaChunkStreamData = 5;
    private const int MediaChunkStreamVideo = 6;
    private const int StreamCommandChunkStream = 8;

    private readonly Stream _transport;
    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private readonly RtmpChunkReader _chunks = new();
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly Queue<RtmpMessage> _earlyMedia = new();
    private int _outChunkSize = RtmpChunkReader.DefaultChunkSize;
    private double _lastTransactionId;
    private uint _streamId;
    private int _disposed;
    private long _bytesSent;

    // The chunk reader's count as it stood when the client closed (closing resets the reader).
    private long _bytesReadAtClose = -1;

    private RtmpClient(Stream transport)
    {
        _transport = transport;
        _input = PipeReader.Create(transport, new StreamPipeReaderOptions(bufferSize: 16 * 1024, minimumReadSize: 4096, leaveOpen: true));
        _output = PipeWriter.Create(transport, new StreamPipeWriterOptions(leaveOpen: true));
    }

    /// <summary>The code of the last onStatus received (e.g. NetStream.Play.Start).</summary>
    public string? LastStatusCode { get; private set; }

    public string? LastStatusDescription { get; private set; }

    /// <summary>The info object of the onStatus that started play or publish (NetStream.Play.Start...), for what a server adds to it.</summary>
    public Amf0Value? StartStatus { get; private set; }

    /// <summary>Raised with the code of every onStatus, on the reading task.</summary>
    public event Action<string>? StatusReceived;

    /// <summary>
    /// The server sent User Control Stream EOF for the stream (the publisher left); cleared by Stream
    /// Begin. Reading goes on, since a republish continues the stream.
    /// </summary>
    public bool StreamEofReceived { get; private set; }

    /// <summary>Bytes received from the server, handshake included; still readable once disposed.</summary>
    public long BytesReceived
    {
        get
        {
            var closed = Volatile.Read(ref _bytesReadAtClose);
            return (closed >= 0 ? closed : _chunks.BytesRead) + RtmpHandshake.ServerResponseSize;
        }
    }

    /// <summary>Bytes handed to the transport, handshake included; still readable once disposed.</summary>
    public long BytesSent => Interlocked.Read(ref _bytesSent);

    /// <summary>The message stream id from createStream; 0 before play or publish.</summary>
    public uint StreamId => _streamId;

    /// <summary>
    /// Handshakes over <paramref name="transport"/> (the client owns it from here, and disposes it
    /// if this fails) and sends 'connect' for <paramref name="app"/>. Throws
    /// <see cref="RtmpProtocolException"/> with the server's description if it answers _error.
    /// </summary>
    public static async Task<RtmpClient> ConnectAsync(Stream transport, string app, string tcUrl, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(tcUrl);
        var client = new RtmpClient(transport);
        try
        {
            await client.HandshakeAsync(ct).ConfigureAwait(false);
            await client.SendConnectAsync(app, tcUrl, ct).ConfigureAwait(false);
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return client;
    }

    /// <summary>createStream, play and a 1 s buffer; completes on NetStream.Play.Start.</summary>
    public async Task PlayAsync(string streamName, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(streamName);
        await CreateStreamAsync(ct).ConfigureAwait(false);
        await SendCommandAsync(StreamCommandChunkStream, _streamId, "play", NextTransactionId(), null, ct,
            Amf0Value.FromString(streamName), Amf0Value.FromNumber(-2000)).ConfigureAwait(false);
        var control = new byte[RtmpControl.MaxControlLength];
        var length = RtmpControl.WriteSetBufferLength(control, _streamId, PlayBufferMilliseconds);
        await SendRawAsync(control.AsMemory(0, length), ct).ConfigureAwait(false);
        await WaitForStatusAsync("NetStream.Play.Start", ct).ConfigureAwait(false);
    }

    /// <summary>releaseStream, FCPublish, createStream and publish "live"; completes on NetStream.Publish.Start.</summary>
    public async Task PublishAsync(string streamName, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(streamName);
        var name = Amf0Value.FromString(streamName);
        await SendCommandAsync(RtmpCommand.ChunkStreamId, 0, "releaseStream", NextTransactionId(), null, ct, name).ConfigureAwait(false);
        await SendCommandAsync(RtmpCommand.ChunkStreamId, 0, "FCPublish", NextTransactionId(), null, ct, name).ConfigureAwait(false);
        await CreateStreamAsync(ct).ConfigureAwait(false);
        await SendCommandAsync(StreamCommandChunkStream, _streamId, "publish", NextTransactionId(), null, ct,
            name, Amf0Value.FromString("live")).ConfigureAwait(false);
        await WaitForStatusAsync("NetStream.Publish.Start", ct).ConfigureAwait(false);
    }

    /// <summary>Sends one audio (8), video (9) or data (18) message on the published stream.</summary>
    public async ValueTask SendMediaAsync(byte typeId, uint timestamp, ReadOnlyMemory<byte> payload, CancellationToken ct)
    {
        if (_streamId == 0)
        {
            throw new InvalidOperationException("Publish before sending media.");
        }
        var chunkStreamId = typeId switch
        {
            RtmpMessageType.Audio => MediaChunkStreamAudio,
            RtmpMessageType.Video => MediaChunkStreamVideo,
            _ => MediaChunkStreamData,
        };
        await _writeLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            WriteMessage(chunkStreamId, timestamp, typeId, _streamId, payload.Span);
            await FlushCountedAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// The next audio, video, data or aggregate message (the caller releases its payload; aggregates
    /// are not unpacked), or null once the
    /// connection has ended (closed or reset by the server). Control messages and onStatus are handled
    /// on the way: see <see cref="LastStatusCode"/>, <see cref="StatusReceived"/> and
    /// <see cref="StreamEofReceived"/>.
    /// </summary>
    public async ValueTask<RtmpMessage?> ReadMediaAsync(CancellationToken ct)
    {
        if (_earlyMedia.TryDequeue(out var early))
        {
            return early;
        }
        while (true)
        {
            RtmpMessage? next;
            try
            {
                next = await ReadMessageAsync(ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                return null;
            }
            if (next is not { } message)
            {
                return null;
            }
            if (IsMedia(message.TypeId))
            {
                return message;
            }
            if (IsCommand(message.TypeId))
            {
                ObserveCommand(DecodeAndRelease(message));
            }
            else
            {
                message.Payload.Release();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        // Closing the transport first unblocks any read or flush still pending on it.
        await _transport.DisposeAsync().ConfigureAwait(false);
        // A read or write still in flight fails on the closed transport; its owner sees that failure.
        try
        {
            await _input.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
        }
        try
        {
            await _output.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
        }
        Volatile.Write(ref _bytesReadAtClose, _chunks.BytesRead);
        _chunks.Reset();
        while (_earlyMedia.TryDequeue(out var message))
        {
            message.Payload.Release();
        }
    }

    /// <summary>Flushes what was written to the output, counting it into <see cref="BytesSent"/>: every write goes out through here.</summary>
    private ValueTask<FlushResult> FlushCountedAsync(CancellationToken ct)
    {
        Interlocked.Add(ref _bytesSent, _output.UnflushedBytes);
        return _output.FlushAsync(ct);
    }

    private static bool IsMedia(byte typeId) =>
        typeId is RtmpMessageType.Audio or RtmpMessageType.Video or RtmpMessageType.DataAmf0 or RtmpMessageType.Aggregate;

    private static bool IsCommand(byte typeId) => typeId is RtmpMessageType.CommandAmf0 or RtmpMessageType.CommandAmf3;

    private double NextTransactionId() => ++_lastTransactionId;
}
