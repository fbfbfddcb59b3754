using System.Buffers;
using Appliance.Load.Targets;
using Appliance.Load.Viewers.Counting;
using Appliance.Load.Viewers.Http;
using Appliance.Protocols.Http;

namespace Appliance.Load.Viewers;

/// <summary>
/// One HTTP-FLV or HTTP-TS player: one TCP connection, one GET, then FLV tags or TS packets until the
/// run ends. The response head is read into a small pooled buffer; the body is counted as it
/// arrives (<see cref="LiveReadLoop"/>), never held.
/// </summary>
internal static class HttpLiveViewer
{
    private const int HeadBufferSize = 4096;

    public static async Task RunAsync(StreamUrl url, byte[] request, ViewerStats stats, CancellationToken runOver)
    {
        stats.OnStart();
        string? error = null;
        LoadConnection? connection = null;
        try
        {
            connection = await LoadConnector.ConnectAsync(url, runOver).ConfigureAwait(false);
            var stream = connection.Value.Stream;
            stats.OnRequest();
            await stream.WriteAsync(request, runOver).ConfigureAwait(false);
            var body = new LiveBody(stats);
            error = await ReadHeadAsync(stream, body, stats, runOver).ConfigureAwait(false);
            if (error is null)
            {
                error = await LiveReadLoop.RunAsync(connection.Value, body, runOver).ConfigureAwait(false)
                    ? "the response body ended"
                    : "the server closed the connection";
            }
        }
        catch (OperationCanceledException) when (runOver.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            error = ErrorText.Of(e);
        }
        finally
        {
            if (connection is { } opened)
            {
                opened.Tcp.Socket.Dispose();
                await opened.Stream.DisposeAsync().ConfigureAwait(false);
            }
            stats.OnEnd(error, runOver.IsCancellationRequested);
        }
    }

    /// <summary>
    /// Reads up to the end of the response head and hands what followed it to the body; returns why
    /// the viewer cannot play (an error status, a malformed head, the server closing), or null.
    /// </summary>
    private static async Task<string?> ReadHeadAsync(Stream stream, LiveBody body, ViewerStats stats, CancellationToken cancel)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(HeadBufferSize);
        var have = 0;
        try
        {
            while (true)
            {
                if (have == buffer.Length)
                {
                    // A head longer than the parser's limit fails in the parser, not here.
                    var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, have).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }
                var read = await stream.ReadAsync(buffer.AsMemory(have), cancel).ConfigureAwait(false);
                if (read == 0)
                {
                    return have == 0 ? "the server closed before the response head" : "the server closed the connection";
                }
                stats.AddBytes(read);
                have += read;
                var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(buffer, 0, have));
                switch (HttpResponseParser.TryParse(ref reader, out var head))
                {
                    case HttpParseStatus.Error:
                        return "malformed HTTP response head";
                    case HttpParseStatus.Complete when head!.Status != 200:
                        return $"HTTP {head.Status} {head.Reason}";
                    case HttpParseStatus.Complete:
                        stats.OnPlaying();
                        body.Start(head!.IsChunked);
                        var consumed = (int)reader.Consumed;
                        return have > consumed && body.Take(buffer.AsMemory(consumed, have - consumed)) ? "the response body ended" : null;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The body of a 200: FLV tags or TS packets, through a chunked decoder when the body is chunked.</summary>
    private sealed class LiveBody(ViewerStats stats) : ILiveConsumer
    {
        private IBodySink _sink = null!;
        private ChunkedLiveBody? _chunked;

        public ReadOnlyMemory<byte> Outgoing => ReadOnlyMemory<byte>.Empty;

        public void Start(bool chunked)
        {
            _sink = stats.Ts ?? (IBodySink)new FlvTagCounter(stats);
            _chunked = chunked ? new ChunkedLiveBody(_sink) : null;
        }

        public bool Consume(ReadOnlyMemory<byte> data)
        {
            stats.AddBytes(data.Length);
            return Take(data);
        }

        public bool Take(ReadOnlyMemory<byte> data)
        {
            if (_chunked is not null)
            {
                return _chunked.Write(data);
            }
            _sink.Write(data.Span);
            return false;
        }

        public void Sent()
        {
        }
    }
}
