using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Text;
using Appliance.Codecs.Flv;
using Appliance.Live.Relay.Routing;
using Appliance.Protocols.Http;

namespace Appliance.Live.Relay.Pull;

/// <summary>
/// A pull over HTTP-FLV: GET the parent's or origin's FLV URL (with the via query), check the
/// status, then read FLV tags from the body, close-delimited or chunked.
/// </summary>
public sealed class HttpFlvUpstreamFeed : UpstreamFeed
{
    private const int MaxHeadBytes = 16 * 1024;

    private readonly Socket _socket;
    private readonly PipeReader _input;
    private readonly FlvStreamReader _flv = new();
    private readonly ChunkedBodyDecoder? _chunked;
    private readonly ArrayBufferWriter<byte>? _decoded;
    private long _bytes;

    private HttpFlvUpstreamFeed(Socket socket, PipeReader input, bool chunked)
    {
        _socket = socket;
        _input = input;
        if (chunked)
        {
            _chunked = new ChunkedBodyDecoder();
            _decoded = new ArrayBufferWriter<byte>(64 * 1024);
        }
    }

    public override long BytesReceived => Interlocked.Read(ref _bytes);

    public static async Task<UpstreamFeed> OpenAsync(RouteCandidate candidate, string app, string streamName, string query, CancellationToken ct)
    {
        var url = candidate.Url;
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            try
            {
                await socket.ConnectAsync(url.Host, url.Port, ct).ConfigureAwait(false);
            }
            catch (SocketException ex)
            {
                throw new UpstreamException($"connect failed: {ex.Message}");
            }
            var path = url.HttpPath(app, streamName);
            var request = $"GET {path}{(path.Contains('?', StringComparison.Ordinal) ? '&' : '?')}{query} HTTP/1.1\r\nHost: {url.HostHeader}\r\nUser-Agent: appliance\r\nAccept: */*\r\nConnection: close\r\n\r\n";
            await socket.SendAsync(Encoding.ASCII.GetBytes(request), SocketFlags.None, ct).ConfigureAwait(false);
            var input = PipeReader.Create(new NetworkStream(socket, ownsSocket: false));
            var head = await ReadHeadAsync(input, ct).ConfigureAwait(false);
            if (head.Status != 200)
            {
                await input.CompleteAsync().ConfigureAwait(false);
                throw new UpstreamException($"upstream answered HTTP {head.Status}");
            }
            return new HttpFlvUpstreamFeed(socket, input, head.IsChunked);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task<HttpResponseHead> ReadHeadAsync(PipeReader input, CancellationToken ct)
    {
        while (true)
        {
            var result = await input.ReadAsync(ct).ConfigureAwait(false);
            var reader = new SequenceReader<byte>(result.Buffer);
            var status = HttpResponseParser.TryParse(ref reader, out var head, MaxHeadBytes);
            if (status == HttpParseStatus.Complete)
            {
                input.AdvanceTo(reader.Position);
                return head!;
            }
            if (status == HttpParseStatus.Error)
            {
                throw new UpstreamException("upstream sent a malformed HTTP response head");
            }
            input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            if (result.IsCompleted)
            {
                throw new UpstreamException("upstream closed before a full HTTP response head");
            }
        }
    }

    public override async ValueTask<FeedMessage?> ReadAsync(CancellationToken ct)
    {
        while (true)
        {
            if (_decoded is not null && TryReadDecoded(out var fromChunks))
            {
                return fromChunks;
            }
            var result = await _input.ReadAsync(ct).ConfigureAwait(false);
            var buffer = result.Buffer;
            var reader = new SequenceReader<byte>(buffer);
            try
            {
                if (_chunked is not null)
                {
                    _chunked.TryRead(ref reader, _decoded!, out var finished);
                    Interlocked.Add(ref _bytes, reader.Consumed);
                    _input.AdvanceTo(reader.Position, buffer.End);
                    if (finished || result.IsCompleted && !TryReadDecoded(out _))
                    {
                        return null;
                    }
                    continue;
                }
                if (_flv.TryReadTag(ref reader, out var tag))
                {
                    Interlocked.Add(ref _bytes, reader.Consumed);
                    _input.AdvanceTo(reader.Position);
                    return new FeedMessage((byte)tag.Type, tag.Timestamp, tag.Payload);
                }
            }
            catch (FlvFormatException ex)
            {
                throw new UpstreamException($"bad FLV from upstream: {ex.Message}");
            }
            catch (FormatException ex)
            {
                throw new UpstreamException($"bad chunked body from upstream: {ex.Message}");
            }
            Interlocked.Add(ref _bytes, reader.Consumed);
            _input.AdvanceTo(reader.Position, buffer.End);
            if (result.IsCompleted)
            {
                return null;
            }
        }
    }

    /// <summary>A tag from the de-chunked bytes, if a whole one is there.</summary>
    private bool TryReadDecoded(out FeedMessage? message)
    {
        message = null;
        var sequence = new ReadOnlySequence<byte>(_decoded!.WrittenMemory);
        var reader = new SequenceReader<byte>(sequence);
        FlvTag tag;
        try
        {
            if (!_flv.TryReadTag(ref reader, out tag))
            {
                return false;
            }
        }
        catch (FlvFormatException ex)
        {
            throw new UpstreamException($"bad FLV from upstream: {ex.Message}");
        }
        var rest = _decoded.WrittenSpan[(int)reader.Consumed..].ToArray();
        _decoded.ResetWrittenCount();
        _decoded.Write(rest);
        message = new FeedMessage((byte)tag.Type, tag.Timestamp, tag.Payload);
        return true;
    }

    public override async ValueTask DisposeAsync()
    {
        _socket.Dispose();
        await _input.CompleteAsync().ConfigureAwait(false);
    }
}
