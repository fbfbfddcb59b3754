using Appliance.Relay.Urls;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Appliance.Core.Time;
using Appliance.Protocols.Http;
using Appliance.Transport.Sockets;
using Appliance.Transport.Tls;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Appliance.Relay.Routing;

/// <summary>
/// Measures every candidate every <see cref="ProberOptions.IntervalMs"/>, so a route is known
/// before a stream needs it: a TCP connect to the candidate (its connect time), then, where a
/// health URL is known, <c>GET path HTTP/1.1</c> with <c>Connection: close</c> on that
/// connection (or a new one when the health URL is elsewhere), whose time to the status line is
/// the RTT; an https:// or rtmps:// candidate is handshaken after the connect, its certificate
/// checked as a pull checks it (a refusal is a failure naming the reason), and its health asked
/// over that TLS connection; any 2xx is a success, anything else or no answer within
/// <see cref="ProberOptions.TimeoutMs"/> a failure. An srt:// candidate is probed over SRT
/// (<see cref="SrtProbe"/>): the time its listener takes to answer a handshake is its connect time.
/// Candidates are probed concurrently, one probe
/// per candidate at a time; down candidates wait out their retry delay. Results go into each
/// candidate's <see cref="CandidateHealth"/>.
/// </summary>
public sealed class CandidateProber : IAsyncDisposable
{
    // "HTTP/1.1 200 " plus a generous reason phrase.
    private const int MaxStatusLineBytes = 512;

    private readonly Func<IReadOnlyList<RouteCandidate>> _candidates;
    private readonly ProberOptions _options;
    private readonly ILogger _logger;
    private readonly Func<long> _clock;
    private readonly TcpConnector _connector;
    private readonly Func<TlsClientTrust> _trust;
    private readonly CancellationTokenSource _stop = new();
    // Keyed by health, not candidate: apps listing the same upstream share one health and one probe.
    private readonly ConcurrentDictionary<CandidateHealth, Task> _running = new(ReferenceEqualityComparer.Instance);
    private Task? _loop;

    /// <param name="candidates">Read at every round, so candidates added or removed by a reload are picked up.</param>
    /// <param name="clock">Monotonic milliseconds; <see cref="MonotonicClock.NowMs"/> when null.</param>
    /// <param name="connector">How probes connect; <see cref="TcpConnector.Default"/> when null.</param>
    /// <param name="trust">The node's trust, for TLS candidates without their own; the system store when null.</param>
    public CandidateProber(Func<IReadOnlyList<RouteCandidate>> candidates, ProberOptions? options = null, ILogger? logger = null, Func<long>? clock = null,
        TcpConnector? connector = null, Func<TlsClientTrust>? trust = null)
    {
        _trust = trust ?? (static () => TlsClientTrust.SystemStore);
        _connector = connector ?? TcpConnector.Default;
        _candidates = candidates;
        _options = options ?? ProberOptions.Default;
        _logger = logger ?? NullLogger.Instance;
        _clock = clock ?? (static () => MonotonicClock.NowMs);
    }

    /// <summary>Starts probing: a first round at once, then one per interval, until disposed.</summary>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(_stop.IsCancellationRequested, this);
        _loop ??= RunAsync(_stop.Token);
    }

    /// <summary>
    /// Probes one candidate now and records the result in its health. Never throws but for
    /// <paramref name="cancellationToken"/>, in which case nothing is recorded.
    /// </summary>
    public async Task<ProbeResult> ProbeAsync(RouteCandidate candidate, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.TimeoutMs);
        var result = await MeasureAsync(candidate, deadline.Token, cancellationToken).ConfigureAwait(false);
        Record(candidate, result);
        return result;
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }
        _stop.Cancel();
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }
        await Task.WhenAll(_running.Values).ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken stop)
    {
        // Yield first, so Start returns before the first round's connects begin.
        await Task.Yield();
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(_options.IntervalMs));
        try
        {
            do
            {
                long now = _clock();
                foreach (var candidate in _candidates())
                {
                    if (!candidate.Health.IsDown(now) && !_running.ContainsKey(candidate.Health))
                    {
                        var probe = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                        if (_running.TryAdd(candidate.Health, probe.Task))
                        {
                            _ = ProbeAndReleaseAsync(candidate, probe, stop);
                        }
                    }
                }
            }
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private async Task ProbeAndReleaseAsync(RouteCandidate candidate, TaskCompletionSource done, CancellationToken stop)
    {
        try
        {
            await ProbeAsync(candidate, stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            // A probe must never take the prober down; what broke it is the candidate's problem.
            Record(candidate, ProbeResult.Failed($"probe failed: {ex.Message}"));
        }
        finally
        {
            _running.TryRemove(candidate.Health, out _);
            done.SetResult();
        }
    }

    /// <summary>Connect, then ask for health; a deadline becomes a failure naming the stage, the caller's cancellation an exception.</summary>
    private async Task<ProbeResult> MeasureAsync(RouteCandidate candidate, CancellationToken deadline, CancellationToken caller)
    {
        var url = candidate.Url;
        if (url.Protocol == UpstreamProtocol.Srt)
        {
            return await SrtProbe.MeasureAsync(url, _connector, _options.TimeoutMs, deadline, caller).ConfigureAwait(false);
        }
        Stream connection;
        double connectMs;
        // The probe's deadline bounds lookup, connect and health check together, so the connector gets no deadline of its own.
        try
        {
            // Resolved before the clock starts: the connect time is the path's, a slow resolver is not.
            var target = await _connector.ResolveAsync(url.Host, url.Port, deadline).ConfigureAwait(false);
            long started = Stopwatch.GetTimestamp();
            connection = await _connector.ConnectAsync(target, Timeout.Infinite, deadline).ConfigureAwait(false);
            connectMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
        catch (ConnectException ex)
        {
            return ProbeResult.Failed(ex.Message);
        }
        catch (OperationCanceledException) when (!caller.IsCancellationRequested)
        {
            return ProbeResult.Failed($"connect to {ConnectException.HostPort(url.Host, url.Port)}: no answer within {_options.TimeoutMs} ms");
        }
        var trust = candidate.Tls ?? _trust();
        if (url.IsTls)
        {
            try
            {
                connection = await TlsClient.AuthenticateAsync(connection, url.Host, trust, url.Protocol == UpstreamProtocol.HttpFlv, deadline).ConfigureAwait(false);
            }
            catch (TlsHandshakeException ex)
            {
                return ProbeResult.Failed(ex.Message, connectMs);
            }
            catch (OperationCanceledException) when (!caller.IsCancellationRequested)
            {
                return ProbeResult.Failed($"tls handshake with {ConnectException.HostPort(url.Host, url.Port)}: not finished within {_options.TimeoutMs} ms", connectMs);
            }
        }
        await using (connection.ConfigureAwait(false))
        {
            if (candidate.HealthUrl is not { } health)
            {
                return new ProbeResult(true, connectMs, null, null, null);
            }
            bool sameEndPoint = health.Host == url.Host && health.Port == url.Port && health.IsTls == url.IsTls;
            Stream? separate = null;
            try
            {
                if (!sameEndPoint)
                {
                    separate = await _connector.ConnectAsync(health.Host, health.Port, Timeout.Infinite, deadline).ConfigureAwait(false);
                    if (health.IsTls)
                    {
                        separate = await TlsClient.AuthenticateAsync(separate, health.Host, trust, http: true, deadline).ConfigureAwait(false);
                    }
                }
                return await AskHealthAsync(separate ?? connection, health, connectMs, deadline).ConfigureAwait(false);
            }
            catch (TlsHandshakeException ex)
            {
                return ProbeResult.Failed($"health check {health}: {ex.Message}", connectMs);
            }
            catch (ConnectException ex)
            {
                return ProbeResult.Failed($"health check {health} failed: {ex.Reason}", connectMs);
            }
            catch (IOException ex) when (ex.InnerException is SocketException socketError)
            {
                return ProbeResult.Failed($"health check {health} failed: {SocketErrorText.Describe(socketError.SocketErrorCode)}", connectMs);
            }
            catch (InvalidDataException ex)
            {
                return ProbeResult.Failed($"health check {health}: {ex.Message}", connectMs);
            }
            catch (OperationCanceledException) when (!caller.IsCancellationRequested)
            {
                return ProbeResult.Failed($"health check {health}: no answer within {_options.TimeoutMs} ms", connectMs);
            }
            finally
            {
                if (separate is not null)
                {
                    await separate.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
    }

    private static async Task<ProbeResult> AskHealthAsync(Stream connection, HealthUrl health, double connectMs, CancellationToken cancellationToken)
    {
        var request = Encoding.ASCII.GetBytes(
            $"GET {health.Path} HTTP/1.1\r\nHost: {health.HostHeader}\r\nUser-Agent: appliance-probe\r\nConnection: close\r\n\r\n");
        long sent = Stopwatch.GetTimestamp();
        await connection.WriteAsync(request, cancellationToken).ConfigureAwait(false);
        int status = await ReadStatusAsync(connection, cancellationToken).ConfigureAwait(false);
        double rttMs = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
        return status is >= 200 and <= 299
            ? new ProbeResult(true, connectMs, rttMs, status, null)
            : ProbeResult.Failed($"health check {health} answered {status}", connectMs, status);
    }

    /// <summary>
    /// Reads just the status line and returns its code: a probe needs nothing more, and the bound
    /// keeps a hostile or broken upstream from feeding an endless line. A malformed or over-long
    /// line, or a close before one, is an <see cref="InvalidDataException"/>.
    /// </summary>
    private static async ValueTask<int> ReadStatusAsync(Stream connection, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxStatusLineBytes];
        int filled = 0;
        while (true)
        {
            int read = await connection.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new InvalidDataException(filled == 0 ? "closed without an answer" : "closed within the status line");
            }
            int lf = buffer.AsSpan(filled, read).IndexOf((byte)'\n');
            filled += read;
            if (lf >= 0)
            {
                var line = buffer.AsSpan(0, filled - read + lf);
                // A bare LF ends the line too (RFC 9112 §2.2).
                return HttpResponseParser.TryParseStatusLine(line.EndsWith("\r"u8) ? line[..^1] : line, out int status)
                    ? status
                    : throw new InvalidDataException("malformed status line");
            }
            if (filled == buffer.Length)
            {
                throw new InvalidDataException($"status line longer than {MaxStatusLineBytes} bytes");
            }
        }
    }

    private void Record(RouteCandidate candidate, ProbeResult result)
    {
        var health = candidate.Health;
        long now = _clock();
        bool wasDown = health.ConsecutiveFailures >= health.Options.FailuresBeforeDown;
        if (result.ConnectMs is { } connectMs)
        {
            health.RecordConnect(connectMs);
        }
        if (result.Success)
        {
            if (result.RttMs is { } rttMs)
            {
                health.RecordRtt(rttMs);
            }
            health.RecordSuccess();
            if (wasDown)
            {
                RoutingLog.CandidateUp(_logger, candidate.ToString());
            }
            return;
        }
        var error = result.Error ?? "probe failed";
        health.RecordFailure(error);
        RoutingLog.ProbeFailed(_logger, candidate.ToString(), error);
        if (health.IsDown(now) && health.ConsecutiveFailures == health.Options.FailuresBeforeDown)
        {
            RoutingLog.CandidateDown(_logger, candidate.ToString(), health.ConsecutiveFailures, error, health.Snapshot(now).RetryInMs);
        }
    }
}
