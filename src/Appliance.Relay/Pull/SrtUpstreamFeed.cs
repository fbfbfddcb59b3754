using System.Buffers;
using System.IO.Pipelines;
using Appliance.Codecs.MpegTs;
using Appliance.Core.Buffers;
using Appliance.Protocols.Srt;
using Appliance.Relay.Routing;
using Appliance.Streaming.Ingest;
using Appliance.Transport.Accounting;
using Appliance.Transport.Sockets;
using Appliance.Transport.Srt;
using Microsoft.Extensions.Logging;

namespace Appliance.Relay.Pull;

/// <summary>
/// A pull over SRT: call the parent with a <c>m=request</c> stream id (the via query on its
/// resource), then demux the MPEG-TS it sends with the same <see cref="TsIngest"/> SRT publishers
/// go through, into the messages an RTMP or HTTP-FLV pull hands on. An appliance parent's first
/// packet carries its media time (<see cref="ParentMediaTimePacket"/>), which places the TS clock
/// in the parent's epoch. Bytes that are not MPEG-TS end the attempt with the demuxer's reason.
/// </summary>
public sealed class SrtUpstreamFeed : UpstreamFeed, IMediaMessageSink
{
    private readonly SrtConnection _connection;
    private readonly PipeReader _input;
    private readonly TsIngest _ts;
    private readonly Queue<FeedMessage> _ready = new();
    private SrtLinkSampler _link;
    private long _bytes;

    private SrtUpstreamFeed(SrtConnection connection, string stream, ILogger logger)
    {
        _connection = connection;
        _input = connection.Input;
        _ts = new TsIngest(this, $"stream {stream}", logger);
    }

    public override long BytesReceived => Interlocked.Read(ref _bytes);

    // What goes up is SRT's own (handshake, ACKs, NAKs): not media bytes, not counted here.
    public override long BytesSent => 0;

    /// <summary>SRT's figures for the connection now (RTT, loss, retransmissions).</summary>
    public SrtStats? Stats => _connection.Stats();

    /// <param name="connectTimeoutMs">For the SRT connect; <paramref name="ct"/> bounds the whole opening.</param>
    public static async Task<UpstreamFeed> OpenAsync(RouteCandidate candidate, string app, string streamName, string query, TrafficTotals traffic,
        TcpConnector connector, int connectTimeoutMs, ILogger logger, CancellationToken ct)
    {
        var url = candidate.Url;
        string streamId;
        try
        {
            streamId = url.Srt!.StreamId(app, streamName, SrtMode.Request, query);
        }
        catch (ArgumentException ex)
        {
            throw new UpstreamException(ex.Message);
        }
        var connection = await SrtUpstreamConnection.OpenAsync(url, streamId, connector, connectTimeoutMs, ct).ConfigureAwait(false);
        var feed = new SrtUpstreamFeed(connection, $"{app}/{streamName}", logger);
        feed.CountIn(traffic);
        try
        {
            await feed.ReadMediaTimeAsync(ct).ConfigureAwait(false);
            return feed;
        }
        catch
        {
            await feed.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// The link's figures since the last sample (RTT, share of packets lost and retransmitted), for
    /// the candidate's health; false when libsrt has none or nothing arrived since.
    /// </summary>
    public bool TryTakeLinkSample(out SrtLinkSample sample)
    {
        sample = default;
        return _connection.Stats() is { } stats && _link.TryTake(stats, out sample);
    }

    // Waits for the first packet: the parent's media time, or already the stream (a parent that is not an appliance).
    private async Task ReadMediaTimeAsync(CancellationToken ct)
    {
        while (true)
        {
            var result = await _input.ReadAsync(ct).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (buffer.Length >= ParentMediaTimePacket.PacketLength)
            {
                var first = buffer.Slice(0, ParentMediaTimePacket.PacketLength).ToArray();
                if (ParentMediaTimePacket.TryRead(first, out var mediaTimeMs, out var problem))
                {
                    MediaTimeMs = mediaTimeMs;
                    MediaTimeProblem = problem;
                    if (mediaTimeMs is { } ms)
                    {
                        _ts.StartNear(ms);
                    }
                    Interlocked.Add(ref _bytes, ParentMediaTimePacket.PacketLength);
                    _input.AdvanceTo(buffer.GetPosition(ParentMediaTimePacket.PacketLength));
                    return;
                }
                _input.AdvanceTo(buffer.Start);
                return;
            }
            _input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                // The handshake passed (app, passphrase): the parent turned the request down after it.
                throw new UpstreamException(buffer.IsEmpty
                    ? "the parent closed the SRT connection before sending anything (no such stream there, or refused; its log says which)"
                    : "the parent closed the SRT connection within its first packet", streamMissing: buffer.IsEmpty);
            }
        }
    }

    public override async ValueTask<FeedMessage?> ReadAsync(CancellationToken ct)
    {
        while (true)
        {
            if (_ready.TryDequeue(out var ready))
            {
                return ready;
            }
            var result = await _input.ReadAsync(ct).ConfigureAwait(false);
            var buffer = result.Buffer;
            try
            {
                foreach (var segment in buffer)
                {
                    _ts.Write(segment.Span);
                }
                if (result.IsCompleted)
                {
                    _ts.Flush();
                }
            }
            catch (TsFormatException ex)
            {
                throw new UpstreamException($"bad MPEG-TS from upstream: {ex.Message}");
            }
            finally
            {
                Interlocked.Add(ref _bytes, buffer.Length);
                _input.AdvanceTo(buffer.End);
            }
            if (result.IsCompleted && _ready.Count == 0)
            {
                return null;
            }
        }
    }

    void IMediaMessageSink.Accept(byte typeId, uint timestamp, SharedBuffer payload) =>
        _ready.Enqueue(new FeedMessage(typeId, timestamp, payload));

    protected override async ValueTask CloseAsync()
    {
        _connection.Abort();
        await _input.CompleteAsync().ConfigureAwait(false);
        while (_ready.TryDequeue(out var left))
        {
            left.Payload.Release();
        }
    }
}
