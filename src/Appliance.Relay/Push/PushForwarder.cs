using Appliance.Relay.Logging;
using Appliance.Relay.Urls;
using Appliance.Core.Time;
using Appliance.Relay.Config;
using Appliance.Streaming.Fanout;
using Appliance.Streaming.Logging;
using Appliance.Transport.Accounting;
using Appliance.Transport.Sockets;
using Appliance.Transport.Tls;
using Appliance.Relay.Routing;
using Appliance.Streaming.Media;
using Appliance.Relay.Pull;
using Appliance.Streaming.Streams;
using Appliance.Protocols.Rtmp;
using Microsoft.Extensions.Logging;

namespace Appliance.Relay.Push;

/// <summary>
/// Forwards one stream published here to one push target over RTMP (or RTMPS) for as long as the stream
/// lives, reconnecting with backoff. It reads the stream like an RTMP viewer (the same chunked
/// bytes, from the frame log), so a slow or dead target only ever costs itself: it skips ahead
/// or reconnects, and the publisher never waits for it. An srt:// target gets the stream's TS
/// packets instead, as an SRT or HTTP-TS viewer does (PushForwarder.Srt.cs).
/// </summary>
internal sealed partial class PushForwarder
{
    private readonly LiveStream _stream;
    private readonly UpstreamUrl _target;
    private readonly PushTargetConfig _config;
    private readonly string _nodeQuery;
    private readonly PullConfig _timing;
    private readonly TrafficTotals _traffic;
    private readonly AccessLog _accessLog;
    private readonly TcpConnector _connector;
    private readonly OutboundTrust _trust;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private volatile string _state = "connecting";
    private volatile string? _lastError;
    private volatile ConnectionWriter? _writer;
    private long _bytesBefore;
    private int _sessions;

    public PushForwarder(LiveStream stream, UpstreamUrl target, PushTargetConfig config, string nodeQuery, PullConfig timing, TrafficTotals traffic, AccessLog accessLog, TcpConnector connector,
        OutboundTrust trust, ILogger logger)
    {
        _trust = trust;
        _stream = stream;
        _target = target;
        _config = config;
        _nodeQuery = nodeQuery;
        _timing = timing;
        _traffic = traffic;
        _accessLog = accessLog;
        _connector = connector;
        _logger = logger;
    }

    public LiveStream Stream => _stream;

    public long BytesSent => Interlocked.Read(ref _bytesBefore) + (_writer?.BytesWritten ?? 0);

    public PushTargetState State => new(_target.ToString(), _state, BytesSent, Volatile.Read(ref _sessions), _lastError);

    public void Stop()
    {
        _stop.Cancel();
        _writer?.Close("server stopping");
    }

    /// <summary>Runs until the stream ends or <see cref="Stop"/>; never throws.</summary>
    public async Task RunAsync()
    {
        var key = _stream.Key.ToString();
        var backoff = _timing.RetryMs;
        var reason = "stream ended";
        try
        {
            while (!_stop.IsCancellationRequested && !_stream.IsEnded)
            {
                var outcome = await ForwardOnceAsync(key).ConfigureAwait(false);
                if (_stream.IsEnded || _stop.IsCancellationRequested)
                {
                    reason = outcome.Reason;
                    break;
                }
                if (outcome.Forwarded)
                {
                    backoff = _timing.RetryMs;
                }
                _lastError = outcome.Reason;
                _state = "waiting";
                PushLog.Failed(_logger, key, _target.ToString(), outcome.Reason, backoff);
                await Task.Delay(backoff, _stop.Token).ConfigureAwait(false);
                backoff = Math.Min(backoff * 2, _timing.MaxRetryMs);
                _state = "connecting";
            }
        }
        catch (OperationCanceledException)
        {
            reason = "server stopping";
        }
        catch (Exception ex)
        {
            reason = ex.Message;
            _logger.LogError(ex, "push of {Stream} to {Target} failed", key, _target);
        }
        PushLog.Stopped(_logger, key, _target.ToString(), reason, BytesSent);
    }

    private readonly record struct Outcome(bool Forwarded, string Reason);

    /// <summary>
    /// One session with the target: connect, publish, forward until either side ends it. It counts
    /// in the node's traffic (listener "push") from the connect on, and writes an access line
    /// (proto push-rtmp) once it has published.
    /// </summary>
    private async Task<Outcome> ForwardOnceAsync(string key)
    {
        if (_target.Protocol == UpstreamProtocol.Srt)
        {
            return await ForwardOverSrtOnceAsync(key).ConfigureAwait(false);
        }
        var openedMs = MonotonicClock.NowMs;
        RtmpClient client;
        TargetConnection connection;
        using (var connecting = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token))
        {
            connecting.CancelAfter(_timing.ConnectTimeoutMs);
            try
            {
                // rtmps://: the target's certificate is checked against its own caFile or the node's CAs (tls.caFile,
                // or the system store, as of the last reload), and its pinSha256. The CA file is read per attempt,
                // so one replaced on disk is picked up, and one gone bad is this attempt's reason.
                var trust = _trust.For(_target, _config);
                // No deadline of the connector's own: 'connecting' bounds connect and publish together.
                Stream transport = await _connector.ConnectAsync(_target.Host, _target.Port, Timeout.Infinite, connecting.Token).ConfigureAwait(false);
                if (trust is not null)
                {
                    transport = await TlsClient.AuthenticateAsync(transport, _target.Host, trust, http: false, connecting.Token).ConfigureAwait(false);
                }
                client = await RtmpClient.ConnectAsync(transport, _target.RtmpApp(_stream.Key.App), _target.RtmpTcUrl(_stream.Key.App), connecting.Token)
                    .ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException && !_stop.IsCancellationRequested)
            {
                return new Outcome(false, ex switch
                {
                    OperationCanceledException => $"no answer within {_timing.ConnectTimeoutMs} ms",
                    ConnectException or TlsHandshakeException => ex.Message,
                    TlsCertificateException => $"tls: {ex.Message}",
                    _ => $"connect failed: {ex.Message}",
                });
            }
            connection = new TargetConnection(client);
            _traffic.OnOpened(connection);
            try
            {
                // The forwarded chunks are the ones this node's RTMP viewers get: their size and message stream.
                await client.SetChunkSizeAsync(_stream.Serializer.RtmpChunkSize, connecting.Token).ConfigureAwait(false);
                await client.PublishAsync(_target.RtmpStreamName(_stream.Key.Name, _nodeQuery), connecting.Token).ConfigureAwait(false);
                if (client.StreamId != FrameSerializer.PlayStreamId)
                {
                    throw new UpstreamException($"the target gave message stream {client.StreamId}; forwarding needs stream 1");
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                await client.DisposeAsync().ConfigureAwait(false);
                _traffic.OnClosed(connection);
                if (_stop.IsCancellationRequested)
                {
                    throw new OperationCanceledException();
                }
                var why = ex switch
                {
                    OperationCanceledException => $"publish not accepted within {_timing.ConnectTimeoutMs} ms",
                    RtmpStatusException status => $"publish refused: {status.Message}",
                    _ => $"publish failed: {ex.Message}",
                };
                return new Outcome(false, why);
            }
        }
        Outcome outcome;
        try
        {
            outcome = await ForwardAsync(key, client).ConfigureAwait(false);
        }
        finally
        {
            await client.DisposeAsync().ConfigureAwait(false);
            _traffic.OnClosed(connection);
        }
        // The stream ending, or this node stopping the push, is a normal end; the target's doing is not.
        var failed = !_stop.IsCancellationRequested && !_stream.IsEnded;
        RelayAccessLine.Write(_accessLog, _target.IsTls ? "push-rtmps" : "push-rtmp", _target, _stream.Key, failed, connection, openedMs, outcome.Reason);
        return outcome;
    }

    /// <summary>One session with the target, as the node's traffic counts it.</summary>
    private sealed class TargetConnection(RtmpClient client) : IConnectionTraffic
    {
        public string Listener => TrafficTotals.Push;

        public long BytesIn => client.BytesReceived;

        public long BytesOut => client.BytesSent;
    }

    private async Task<Outcome> ForwardAsync(string key, RtmpClient client)
    {
        using var reading = new CancellationTokenSource();
        var reason = await ForwardSessionAsync(key, new ConnectionWriter(new RtmpClientSink(client)), WireFormat.Rtmp,
            () => ListenAsync(client, reading.Token),
            async () =>
            {
                await reading.CancelAsync().ConfigureAwait(false);
                await client.DisposeAsync().ConfigureAwait(false);
            }).ConfigureAwait(false);
        return reason is null ? new Outcome(false, "stream ended") : new Outcome(true, reason);
    }

    /// <summary>
    /// Reads what the target sends while media flows (acknowledgements and pings are answered by
    /// the client) until it closes the session or reports an error status; returns why.
    /// </summary>
    private static async Task<string> ListenAsync(RtmpClient client, CancellationToken ct)
    {
        using var refused = CancellationTokenSource.CreateLinkedTokenSource(ct);
        void OnStatus(string code)
        {
            if (IsFailure(code))
            {
                refused.Cancel();
            }
        }
        client.StatusReceived += OnStatus;
        try
        {
            while (await client.ReadMediaAsync(refused.Token).ConfigureAwait(false) is { } message)
            {
                message.Payload.Release();
            }
            return "the target closed the connection";
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return $"the target ended the publish: {client.LastStatusCode} {client.LastStatusDescription}";
        }
        catch (OperationCanceledException)
        {
            return "stopped";
        }
        catch (Exception ex) when (ex is RtmpProtocolException or IOException or System.Net.Sockets.SocketException or ObjectDisposedException)
        {
            return $"the target broke the session: {ex.Message}";
        }
        finally
        {
            client.StatusReceived -= OnStatus;
        }
    }

    private static bool IsFailure(string code) =>
        code.EndsWith(".Failed", StringComparison.Ordinal) || code.EndsWith(".BadName", StringComparison.Ordinal)
        || code.EndsWith(".Rejected", StringComparison.Ordinal);
}
