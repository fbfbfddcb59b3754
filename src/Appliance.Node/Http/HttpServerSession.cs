using Appliance.Node.Hosting;
using System.Buffers;
using System.IO.Pipelines;
using Appliance.Node.Config;
using Appliance.Streaming.Fanout;
using Appliance.Node.Logging;
using Appliance.Node.Server;
using Appliance.Node.Sessions;
using Appliance.Protocols.Http;
using Appliance.Core.Connections;

namespace Appliance.Node.Http;

/// <summary>
/// One HTTP/1.1 connection: requests parsed with limits, answered in order, kept alive where the
/// client allows. A live-stream request turns the connection into that stream's delivery.
/// </summary>
/// <remarks>
/// About 1,800 lines over twelve files (this one: the request loop; .Routes: dispatch and live
/// delivery; .Hls: playlists and segments; .HlsViewers: counting them to HLS sessions; .Auth:
/// the token check; .Cmaf, .CmafFiles, .LowLatency, .Dash: the CMAF outputs; .Renditions: a
/// rendition group's manifests; .Player: the player page and its scripts), because they share
/// one connection's buffers, deadlines and access-line state. The connection itself stays "http" when it carries HLS: "hls" is the player's session
/// (Sessions/HlsSessionTable), which outlives any one connection. What needs none of that lives apart
/// (StreamUrl, StatusApi, StreamsApi, the command API in Admin/AdminApi); a new packager's routes
/// belong in a file of their own.
/// </remarks>
public sealed partial class HttpServerSession : SessionBase
{
    private readonly ServerContext _context;
    private readonly ApplianceConfig _config;
    private readonly HttpLimits _limits;
    private HttpExchangeBuffers? _buffers = HttpExchangeBuffers.Rent();
    private Task<RequestOutcome>? _deferred;
    private CancellationTokenSource? _clientGone;
    private string _protocol = "http";
    private string _stream = "-";
    private int _lastStatus;

    private readonly bool _admin;
    private readonly string _listener;

    // The node's admin side, for /api/status, /metrics and /api/routes; null where a test runs sessions alone.
    private readonly INodeAdmin? _node;

    /// <summary>A session of the public HTTP listener, or (admin) of the operators' metrics and status listener.</summary>
    /// <param name="listener">The listener it came through, "http" or "https", for the traffic counters.</param>
    public HttpServerSession(IConnection connection, ServerContext context, INodeAdmin? node, bool admin = false, string listener = "http")
        : base(connection, context)
    {
        _admin = admin;
        _listener = listener;
        _node = node;
        _protocol = admin ? "admin" : "http";
        _context = context;
        _config = context.Config;
        _limits = new HttpLimits(_config.Http.MaxRequestLineBytes, _config.Http.MaxHeaderBytes, _config.Http.MaxHeaderCount);
        SendStallTimeoutMs = _config.Deadlines.SendStallMs;
    }

    public override string Protocol => _protocol;

    public override string StreamPath => _stream;

    public override string Listener => _admin ? "admin" : _listener;

    protected override string DeadlineReason => "request head not received in time";

    protected override string Family => "http";

    /// <summary>The status code of the last response.</summary>
    protected override string AccessStatus => _lastStatus.ToString(System.Globalization.CultureInfo.InvariantCulture);

    protected override string AbortLogName => Protocol;

    /// <summary>
    /// Requests until one becomes a stream; then the connection gives up its reader and only
    /// watches for the close, ignoring whatever the client still sends. The request loop's frame
    /// (and the pipe, buffers and segments it held) is gone by then: a viewer watches for hours.
    /// </summary>
    protected override async Task<string> ReadAsync()
    {
        if (await ReadLoopAsync().ConfigureAwait(false) is { } reason)
        {
            return reason;
        }
        BytesIn += await Connection.DiscardInputUntilClosedAsync().ConfigureAwait(false);
        return "client closed";
    }

    /// <summary>A response still being written goes out before the connection closes.</summary>
    protected override void OnEnding(string reason)
    {
        if (Writer.Subscription is null && !Writer.IsClosingAfterFlush)
        {
            Writer.CloseAfterFlush(reason);
        }
    }

    protected override void OnEnded()
    {
        ReturnBuffers();
        _hold?.Dispose();
        _clientGone?.Dispose();
    }

    /// <summary>A live response's line says why its delivery ended (the writer's reason).</summary>
    protected override string AccessLogReason(string reason, string writerReason) =>
        _protocol is "http-flv" or "http-ts" ? writerReason : reason;

    protected override void OnWriterGaveUp(string reason)
    {
        if (reason == ConnectionWriter.TooSlowReason)
        {
            LiveLog.ViewerDropped(_context.Logger, Client, _stream, reason);
        }
        else
        {
            LiveLog.Rejected(_context.Logger, Protocol, Client, reason);
        }
    }

    /// <summary>Answers requests until the connection ends (why) or a request became a stream (null).</summary>
    private async Task<string?> ReadLoopAsync()
    {
        var input = Connection.Input;
        SetPhaseDeadline(_config.Deadlines.RequestHeaderMs);
        var streaming = false;
        Task<ReadResult>? readDuringDeferral = null;
        var requestsInARow = 0;
        while (true)
        {
            if (streaming && readDuringDeferral is null)
            {
                // A streaming response owns the connection: no request can follow.
                return null;
            }
            ReadResult result;
            if (readDuringDeferral is not null)
            {
                result = await readDuringDeferral.ConfigureAwait(false);
                readDuringDeferral = null;
            }
            else
            {
                var read = input.ReadAsync();
                if (!read.IsCompleted)
                {
                    // Waiting for the client gave every other connection its turn.
                    requestsInARow = 0;
                    Writer.NoteWaited();
                }
                else if (requestsInARow >= MaxRequestsInARow)
                {
                    // A client whose next requests are always there already (pipelining) would
                    // otherwise keep this thread from every other connection.
                    requestsInARow = 0;
                    await Task.Yield();
                }
                result = await read.ConfigureAwait(false);
            }
            var buffer = result.Buffer;
            MarkReceived();
            if (streaming)
            {
                BytesIn += buffer.Length;
                // The read that watched a deferred answer which became a stream: ignored too.
                input.AdvanceTo(buffer.End);
                if (result.IsCompleted)
                {
                    return "client closed";
                }
                continue;
            }
            var reader = new SequenceReader<byte>(buffer);
            string? stop = null;
            var outcome = RequestOutcome.KeepAlive;
            // Replies wait until this buffer's requests are answered, then go out from this thread.
            Writer.HoldWakeups();
            while (stop is null && !streaming && outcome != RequestOutcome.Deferred)
            {
                Request.Reset();
                var status = HttpRequestParser.TryParse(ref reader, Request, _limits, out var errorStatus);
                if (status == HttpParseStatus.Incomplete)
                {
                    break;
                }
                if (status == HttpParseStatus.Error)
                {
                    stop = Reject(errorStatus);
                    break;
                }
                requestsInARow++;
                outcome = Respond();
                stop = Apply(outcome, ref streaming);
            }
            BytesIn += reader.Consumed;
            var parsed = reader.Position;
            await SendRepliesAsync(stop is null && !streaming && outcome != RequestOutcome.Deferred).ConfigureAwait(false);
            if (outcome == RequestOutcome.Deferred)
            {
                // Bytes after this request stay unexamined, so the next read returns them at once.
                input.AdvanceTo(parsed);
                (outcome, readDuringDeferral) = await AwaitDeferredAsync(input, _deferred!).ConfigureAwait(false);
                _deferred = null;
                stop = Apply(outcome, ref streaming);
                if (stop is not null && readDuringDeferral is { } pending)
                {
                    // The connection ends: the watching read is not needed (a reset it saw is observed here).
                    if (!pending.IsCompleted)
                    {
                        input.CancelPendingRead();
                    }
                    _ = pending.Exception;
                }
            }
            else
            {
                input.AdvanceTo(parsed, buffer.End);
            }
            if (stop is not null)
            {
                return stop;
            }
            if (result.IsCompleted && outcome != RequestOutcome.Deferred)
            {
                return streaming ? "client closed" : "client closed the connection";
            }
        }
    }

    /// <summary>
    /// Writes the replies just queued, from this thread when the writer is idle. The next request
    /// is read once they are out, so a client that asks faster than it reads is held back by its
    /// own socket; while a reply is still going out no request-head deadline runs (the send-stall
    /// deadline watches the write), and it starts again when the reply is out.
    /// </summary>
    private async ValueTask SendRepliesAsync(bool awaitingRequest)
    {
        var writing = Writer.WriteQueuedAsync();
        if (writing.IsCompleted)
        {
            writing.GetAwaiter().GetResult();
            return;
        }
        SetPhaseDeadline(0);
        await writing.ConfigureAwait(false);
        if (awaitingRequest)
        {
            SetPhaseDeadline(_config.Deadlines.RequestHeaderMs);
        }
    }

    /// <summary>
    /// Requests answered without waiting for the client before the loop gives other connections a
    /// turn (goes to the back of the thread pool's queue).
    /// </summary>
    private const int MaxRequestsInARow = 32;

    /// <summary>
    /// Waits for a deferred answer while watching the connection: a client that closes it
    /// meanwhile cancels <see cref="ClientGone"/>, which releases a held request at once. The read
    /// that watched is returned for the loop to take the next request from (what arrived meanwhile,
    /// a pipelined request, or what comes next): cancelling it would throw and catch an
    /// OperationCanceledException under the pipe for every held request, the costliest part of a hold.
    /// </summary>
    private async Task<(RequestOutcome Outcome, Task<ReadResult>? Read)> AwaitDeferredAsync(PipeReader input, Task<RequestOutcome> deferred)
    {
        if (deferred.IsCompleted)
        {
            return (await deferred.ConfigureAwait(false), null);
        }
        var reading = input.ReadAsync().AsTask();
        // A read that failed (a reset) is a client gone too; its exception comes out in the loop, after the answer.
        if (await Task.WhenAny(deferred, reading).ConfigureAwait(false) == reading && (!reading.IsCompletedSuccessfully || reading.Result.IsCompleted))
        {
            _clientGone?.Cancel();
        }
        return (await deferred.ConfigureAwait(false), reading);
    }

    /// <summary>Cancelled when the client closes the connection while an answer is deferred.</summary>
    private CancellationToken ClientGone => (_clientGone ??= new CancellationTokenSource()).Token;

    /// <summary>What a response means for the connection; a reason to close it, or null.</summary>
    private string? Apply(RequestOutcome outcome, ref bool streaming)
    {
        switch (outcome)
        {
            case RequestOutcome.Streaming:
                streaming = true;
                SetPhaseDeadline(0);
                // No more requests on this connection: its parsing buffers can serve others.
                ReturnBuffers();
                return null;
            case RequestOutcome.Close:
                return "response ends the connection";
            case RequestOutcome.Deferred:
                // The answer comes later; no request-head deadline while the server is the one waiting.
                SetPhaseDeadline(0);
                return null;
            default:
                SetPhaseDeadline(_config.Deadlines.RequestHeaderMs);
                return null;
        }
    }

    private string Reject(int status)
    {
        var reason = $"bad request: {status} {HttpResponseWriter.ReasonPhrase(status)}";
        LiveLog.Rejected(_context.Logger, "http", Client, reason);
        WriteText(status, $"{HttpResponseWriter.ReasonPhrase(status).ToLowerInvariant()}\n", keepAlive: false, headOnly: false);
        return reason;
    }

    private void WriteText(int status, string body, bool keepAlive, bool headOnly)
    {
        HeadBuffer.ResetWrittenCount();
        HttpResponseWriter.WriteText(HeadBuffer, status, body, keepAlive, headOnly);
        Writer.Send(HeadBuffer.WrittenSpan);
        _lastStatus = status;
    }

    private HttpRequest Request => _buffers!.Request;

    private ArrayBufferWriter<byte> HeadBuffer => _buffers!.Head;

    private void ReturnBuffers()
    {
        _buffers?.Return();
        _buffers = null;
    }

    private enum RequestOutcome
    {
        KeepAlive,
        Close,
        Streaming,

        /// <summary>The answer is being prepared asynchronously (a playlist waiting for its first segment).</summary>
        Deferred,
    }
}
