using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Appliance.Load.Targets;
using Appliance.Protocols.Http;
using Appliance.Transport.Sockets;

namespace Appliance.Load.Viewers.Http;

/// <summary>How one GET went.</summary>
internal readonly record struct HttpGetResult(int Status, string? Reason, long BodyBytes, bool TimedOut, string? Error)
{
    public bool Ok => Status == 200 && !TimedOut && Error is null;

    public static HttpGetResult Timeout => new(0, null, 0, TimedOut: true, null);

    public static HttpGetResult Failed(string error) => new(0, null, 0, TimedOut: false, error);

    public string Describe() =>
        TimedOut ? "timed out" : Error ?? $"HTTP {Status} {Reason}";
}

/// <summary>
/// One HTTP/1.1 connection a player keeps for its GETs, one at a time (no pipelining). It is opened
/// on first use and again after the server closes it; a kept connection that turns out to be
/// closed before any response byte is retried once on a fresh one, as browsers do. Bodies are
/// streamed into an <see cref="IBodySink"/>, so a segment is never held whole; an error body is
/// drained so the connection can be kept. Every byte received counts towards the viewer.
/// </summary>
internal sealed class HttpGetConnection : IAsyncDisposable
{
    private static readonly StreamPipeReaderOptions ReadOptions = new(bufferSize: 16 * 1024, minimumReadSize: 4096, leaveOpen: true);

    private readonly StreamUrl _url;
    private readonly ViewerStats _stats;
    private NetworkStream? _tcp;
    private Stream? _stream;
    private PipeReader? _input;
    private ChunkedBodyDecoder? _chunked;
    private ChunkedBodySink? _chunkedSink;
    private CancellationTokenSource? _deadline;
    private CancellationToken _deadlineLinkedTo;
    private bool _receivedAny;

    public HttpGetConnection(StreamUrl url, ViewerStats stats)
    {
        _url = url;
        _stats = stats;
    }

    /// <summary>TCP connections opened so far.</summary>
    public int Connects { get; private set; }

    /// <summary>
    /// Sends <paramref name="request"/> and reads the response, the body into <paramref name="body"/>
    /// when the status is 200. Timeouts and connection errors come back as results; only the end
    /// of the run throws. Await it once: its state machines are pooled, as a player makes several
    /// requests a second.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<HttpGetResult> GetAsync(ReadOnlyMemory<byte> request, IBodySink body, long maxBodyBytes, TimeSpan timeout, CancellationToken runOver)
    {
        var deadline = Deadline(runOver);
        deadline.CancelAfter(timeout);
        for (var attempt = 0; ; attempt++)
        {
            var reused = _input is not null;
            _receivedAny = false;
            try
            {
                if (!reused)
                {
                    await ConnectAsync(deadline.Token).ConfigureAwait(false);
                }
                await _stream!.WriteAsync(request, deadline.Token).ConfigureAwait(false);
                var result = await ExchangeAsync(body, maxBodyBytes, deadline.Token).ConfigureAwait(false);
                if (result.Error is not null)
                {
                    await CloseAsync().ConfigureAwait(false);
                    if (!_receivedAny && reused && attempt == 0)
                    {
                        continue;
                    }
                }
                return result;
            }
            catch (OperationCanceledException) when (!runOver.IsCancellationRequested)
            {
                await CloseAsync().ConfigureAwait(false);
                return HttpGetResult.Timeout;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await CloseAsync().ConfigureAwait(false);
                if (!_receivedAny && reused && attempt == 0 && e is IOException or SocketException)
                {
                    continue;
                }
                return HttpGetResult.Failed(ErrorText.Of(e));
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _deadline?.Dispose();
        _deadline = null;
        return CloseAsync();
    }

    /// <summary>
    /// The request's deadline, linked to <paramref name="runOver"/>: one source per connection,
    /// reset for each request (a player makes several a second), new only after one fired.
    /// </summary>
    private CancellationTokenSource Deadline(CancellationToken runOver)
    {
        if (_deadline is not null && (_deadlineLinkedTo != runOver || !_deadline.TryReset()))
        {
            _deadline.Dispose();
            _deadline = null;
        }
        if (_deadline is null)
        {
            _deadline = CancellationTokenSource.CreateLinkedTokenSource(runOver);
            _deadlineLinkedTo = runOver;
        }
        return _deadline;
    }

    private async ValueTask ConnectAsync(CancellationToken cancel)
    {
        // No deadline of the connector's own: the GET's deadline covers connect and exchange.
        (_tcp, _stream) = await LoadConnector.ConnectAsync(_url, cancel).ConfigureAwait(false);
        Connects++;
        _input = PipeReader.Create(_stream, ReadOptions);
    }

    private async ValueTask CloseAsync()
    {
        _tcp?.Socket.Dispose();
        if (_input is not null)
        {
            await _input.CompleteAsync().ConfigureAwait(false);
        }
        if (_stream is not null)
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }
        _stream = null;
        _tcp = null;
        _input = null;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<HttpGetResult> ExchangeAsync(IBodySink body, long maxBodyBytes, CancellationToken cancel)
    {
        var input = _input!;
        HttpResponseHead? head = null;
        while (head is null)
        {
            var read = await input.ReadAsync(cancel).ConfigureAwait(false);
            var buffer = read.Buffer;
            _receivedAny |= !buffer.IsEmpty;
            var reader = new SequenceReader<byte>(buffer);
            switch (HttpResponseParser.TryParse(ref reader, out head))
            {
                case HttpParseStatus.Error:
                    input.AdvanceTo(buffer.Start);
                    return HttpGetResult.Failed("malformed HTTP response head");
                case HttpParseStatus.Complete:
                    _stats.AddBytes(reader.Consumed);
                    input.AdvanceTo(reader.Position);
                    break;
                default:
                    input.AdvanceTo(buffer.Start, buffer.End);
                    if (read.IsCompleted)
                    {
                        return HttpGetResult.Failed(buffer.IsEmpty
                            ? "the server closed before the response head"
                            : "the server closed inside the response head");
                    }
                    break;
            }
        }

        var sink = head.Status == 200 ? body : DiscardSink.Instance;
        var keep = CanKeep(head);
        long bytes;
        string? error;
        if (head.IsChunked)
        {
            (bytes, error) = await ReadChunkedAsync(input, sink, maxBodyBytes, cancel).ConfigureAwait(false);
        }
        else if (head.ContentLength is { } length)
        {
            if (length > maxBodyBytes)
            {
                (bytes, error) = (0, $"a body of {length} bytes, more than the {maxBodyBytes} allowed");
            }
            else
            {
                (bytes, error) = await ReadLengthAsync(input, sink, length, cancel).ConfigureAwait(false);
            }
        }
        else
        {
            keep = false;
            (bytes, error) = await ReadToCloseAsync(input, sink, maxBodyBytes, cancel).ConfigureAwait(false);
        }
        if (error is null && !keep)
        {
            await CloseAsync().ConfigureAwait(false);
        }
        return new HttpGetResult(head.Status, head.Reason, bytes, TimedOut: false, error);
    }

    private static bool CanKeep(HttpResponseHead head)
    {
        var connection = head.GetHeader("Connection");
        return head.VersionMinor >= 1
            ? connection is null || !connection.Contains("close", StringComparison.OrdinalIgnoreCase)
            : connection is not null && connection.Contains("keep-alive", StringComparison.OrdinalIgnoreCase);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<(long, string?)> ReadLengthAsync(PipeReader input, IBodySink sink, long length, CancellationToken cancel)
    {
        var remaining = length;
        while (remaining > 0)
        {
            var read = await input.ReadAsync(cancel).ConfigureAwait(false);
            var slice = read.Buffer.Slice(0, Math.Min(remaining, read.Buffer.Length));
            foreach (var piece in slice)
            {
                sink.Write(piece.Span);
            }
            remaining -= slice.Length;
            _stats.AddBytes(slice.Length);
            input.AdvanceTo(slice.End);
            if (remaining > 0 && read.IsCompleted)
            {
                return (length - remaining, $"the server closed {length - remaining} bytes into a {length}-byte body");
            }
        }
        return (length, null);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<(long, string?)> ReadToCloseAsync(PipeReader input, IBodySink sink, long maxBodyBytes, CancellationToken cancel)
    {
        long bytes = 0;
        while (true)
        {
            var read = await input.ReadAsync(cancel).ConfigureAwait(false);
            foreach (var piece in read.Buffer)
            {
                sink.Write(piece.Span);
            }
            bytes += read.Buffer.Length;
            _stats.AddBytes(read.Buffer.Length);
            input.AdvanceTo(read.Buffer.End);
            if (bytes > maxBodyBytes)
            {
                return (bytes, $"a body of more than the {maxBodyBytes} bytes allowed");
            }
            if (read.IsCompleted)
            {
                return (bytes, null);
            }
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<(long, string?)> ReadChunkedAsync(PipeReader input, IBodySink sink, long maxBodyBytes, CancellationToken cancel)
    {
        _chunked ??= new ChunkedBodyDecoder();
        _chunked.Reset();
        var decoded = _chunkedSink ??= new ChunkedBodySink();
        decoded.Start(sink);
        while (true)
        {
            var read = await input.ReadAsync(cancel).ConfigureAwait(false);
            var reader = new SequenceReader<byte>(read.Buffer);
            _chunked.TryRead(ref reader, decoded, out var finished);
            _stats.AddBytes(reader.Consumed);
            input.AdvanceTo(reader.Position, read.Buffer.End);
            if (finished)
            {
                return (decoded.Written, null);
            }
            if (decoded.Written > maxBodyBytes)
            {
                return (decoded.Written, $"a body of more than the {maxBodyBytes} bytes allowed");
            }
            if (read.IsCompleted)
            {
                return (decoded.Written, "the server closed inside a chunked body");
            }
        }
    }
}
