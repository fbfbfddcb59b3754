using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Appliance.Codecs.Flv;
using Appliance.Relay.Routing;
using Appliance.Transport.Accounting;
using Appliance.Transport.Sockets;
using Appliance.Transport.Tls;
using Appliance.Protocols.Http;

namespace Appliance.Relay.Pull;

/// <summary>
/// A pull over HTTP-FLV: GET the parent's or origin's FLV URL (with the via query), check the
/// status, then read FLV tags from the body, close-delimited or chunked.
/// </summary>
public sealed class HttpFlvUpstreamFeed : UpstreamFeed
{
    private const int MaxHeadBytes = 16 * 1024;

    private readonly Stream _connection;
    private readonly PipeReader _input;
    private readonly FlvStreamReader _flv = new();

    // The FLV bytes: the response body itself, or what a de-chunking pump writes from it.
    private PipeReader _body;
    private Task _dechunking = Task.CompletedTask;
    private long _bytes;
    private long _sent;

    private HttpFlvUpstreamFeed(Stream connection)
    {
        _connection = connection;
        _input = PipeReader.Create(connection, new StreamPipeReaderOptions(leaveOpen: true));
        _body = _input;
    }

    public override long BytesReceived => Interlocked.Read(ref _bytes);

    public override long BytesSent => Interlocked.Read(ref _sent);

    /// <param name="connectTimeoutMs">For the TCP connect; <paramref name="ct"/> bounds the whole opening.</param>
    public static async Task<UpstreamFeed> OpenAsync(RouteCandidate candidate, string app, string streamName, string query, TrafficTotals traffic,
        TcpConnector connector, TlsClientTrust nodeTrust, int connectTimeoutMs, CancellationToken ct)
    {
        var url = candidate.Url;
        var connection = await UpstreamConnection.OpenAsync(url, candidate.Tls ?? nodeTrust, connector, connectTimeoutMs, ct).ConfigureAwait(false);
        var feed = new HttpFlvUpstreamFeed(connection);
        feed.CountIn(traffic);
        try
        {
            var path = url.HttpPath(app, streamName);
            var request = Encoding.ASCII.GetBytes($"GET {path}{(path.Contains('?', StringComparison.Ordinal) ? '&' : '?')}{query} HTTP/1.1\r\nHost: {url.HostHeader}\r\nUser-Agent: appliance\r\nAccept: */*\r\nConnection: close\r\n\r\n");
            await connection.WriteAsync(request, ct).ConfigureAwait(false);
            Interlocked.Add(ref feed._sent, request.Length);
            var head = await feed.ReadHeadAsync(ct).ConfigureAwait(false);
            if (head.Status != 200)
            {
                throw new UpstreamException($"upstream answered HTTP {head.Status}", streamMissing: head.Status == 404);
            }
            feed.MediaTimeMs = ParentMediaTime.Read(head.GetHeader(ParentMediaTime.HttpHeader), out var problem);
            feed.MediaTimeProblem = problem;
            feed.StartBody(head.IsChunked);
            return feed;
        }
        catch
        {
            await feed.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task<HttpResponseHead> ReadHeadAsync(CancellationToken ct)
    {
        while (true)
        {
            var result = await _input.ReadAsync(ct).ConfigureAwait(false);
            var reader = new SequenceReader<byte>(result.Buffer);
            var status = HttpResponseParser.TryParse(ref reader, out var head, MaxHeadBytes);
            if (status == HttpParseStatus.Complete)
            {
                Interlocked.Add(ref _bytes, reader.Consumed);
                _input.AdvanceTo(reader.Position);
                return head!;
            }
            if (status == HttpParseStatus.Error)
            {
                throw new UpstreamException("upstream sent a malformed HTTP response head");
            }
            _input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            if (result.IsCompleted)
            {
                throw new UpstreamException("upstream closed before a full HTTP response head");
            }
        }
    }

    /// <summary>The body follows the head: FLV as it is, or through a de-chunking pump.</summary>
    private void StartBody(bool chunked)
    {
        if (chunked)
        {
            var pipe = new Pipe();
            _body = pipe.Reader;
            _dechunking = DechunkAsync(pipe.Writer);
        }
    }

    public override async ValueTask<FeedMessage?> ReadAsync(CancellationToken ct)
    {
        while (true)
        {
            ReadResult result;
            try
            {
                result = await _body.ReadAsync(ct).ConfigureAwait(false);
            }
            catch (FormatException ex)
            {
                throw new UpstreamException($"bad chunked body from upstream: {ex.Message}");
            }
            var buffer = result.Buffer;
            var reader = new SequenceReader<byte>(buffer);
            try
            {
                if (_flv.TryReadTag(ref reader, out var tag))
                {
                    CountBody(reader.Consumed);
                    _body.AdvanceTo(reader.Position);
                    return new FeedMessage((byte)tag.Type, tag.Timestamp, tag.Payload);
                }
            }
            catch (FlvFormatException ex)
            {
                throw new UpstreamException($"bad FLV from upstream: {ex.Message}");
            }
            CountBody(reader.Consumed);
            _body.AdvanceTo(reader.Position, buffer.End);
            if (result.IsCompleted)
            {
                return null;
            }
        }
    }

    private void CountBody(long consumed)
    {
        // With chunking the pump counts the wire bytes instead.
        if (ReferenceEquals(_body, _input))
        {
            Interlocked.Add(ref _bytes, consumed);
        }
    }

    /// <summary>Decodes the chunked body into <paramref name="output"/>; a malformed one fails the reader with the reason.</summary>
    private async Task DechunkAsync(PipeWriter output)
    {
        var decoder = new ChunkedBodyDecoder();
        Exception? failure = null;
        try
        {
            while (true)
            {
                var result = await _input.ReadAsync().ConfigureAwait(false);
                var reader = new SequenceReader<byte>(result.Buffer);
                decoder.TryRead(ref reader, output, out var finished);
                Interlocked.Add(ref _bytes, reader.Consumed);
                _input.AdvanceTo(reader.Position, result.Buffer.End);
                var flush = await output.FlushAsync().ConfigureAwait(false);
                if (finished || result.IsCompleted || flush.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (FormatException ex)
        {
            failure = ex;
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
        {
            // The connection closed or the feed was disposed: the reader sees the body end.
        }
        await output.CompleteAsync(failure).ConfigureAwait(false);
    }

    protected override async ValueTask CloseAsync()
    {
        // Reader first, so a pump blocked on a full pipe returns; then the connection, so a pump blocked on a read does.
        if (!ReferenceEquals(_body, _input))
        {
            await _body.CompleteAsync().ConfigureAwait(false);
        }
        await _connection.DisposeAsync().ConfigureAwait(false);
        await _dechunking.ConfigureAwait(false);
        await _input.CompleteAsync().ConfigureAwait(false);
    }
}
