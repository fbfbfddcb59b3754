using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Appliance.Streaming.Logging;
using Microsoft.Extensions.Logging;

namespace Appliance.Node.Webhooks;

/// <summary>
/// One URL's queue and its delivery. Events wait in a few lanes, each delivered one at a time by
/// its own loop; a stream's events always take the same lane, so they arrive in the order they
/// happened (a retry holds back the events behind it in that lane) while other streams' go on in
/// the other lanes. Enqueueing never waits: past <see cref="WebhookTargetSettings.QueueSize"/>
/// events waiting or in flight, an event is dropped, counted, and logged at most once per interval.
/// </summary>
internal sealed class WebhookTarget : IAsyncDisposable
{
    /// <summary>Requests in flight to one URL at most.</summary>
    public const int Lanes = 4;

    private readonly Channel<WebhookEvent>[] _lanes = new Channel<WebhookEvent>[Lanes];
    private readonly Task[] _loops = new Task[Lanes];
    private readonly IWebhookTransport _transport;
    private readonly WebhookCounters _counters;
    private readonly ILogger _logger;
    private readonly Func<TimeSpan, CancellationToken, Task> _delay;
    private readonly byte[]? _secret;
    private readonly string _url;
    private readonly RepeatedLog _dropLog;
    private readonly RepeatedLog _failLog;
    private readonly CancellationTokenSource _stop = new();
    private int _pending;
    private volatile bool _closed;
    private volatile bool _dropping;

    /// <param name="delay">How a retry waits; tests pass one that records the schedule.</param>
    /// <param name="clock">Monotonic milliseconds for the rate-limited lines; tests pass their own.</param>
    public WebhookTarget(WebhookTargetSettings settings, IWebhookTransport transport, WebhookCounters counters, ILogger logger,
        Func<TimeSpan, CancellationToken, Task>? delay = null, Func<long>? clock = null)
    {
        Settings = settings;
        _transport = transport;
        _counters = counters;
        _logger = logger;
        _delay = delay ?? Task.Delay;
        _secret = settings.Secret is { } secret ? Encoding.UTF8.GetBytes(secret) : null;
        _url = Relay.Urls.UrlSyntax.MaskQueryValues(settings.Url);
        _dropLog = new RepeatedLog(logger, LogLevel.Warning, $"webhook {_url}", "events dropped, queue full", clock: clock);
        _failLog = new RepeatedLog(logger, LogLevel.Warning, $"webhook {_url}", "events given up", clock: clock);
        for (var i = 0; i < Lanes; i++)
        {
            _lanes[i] = Channel.CreateUnbounded<WebhookEvent>(new UnboundedChannelOptions { SingleReader = true });
            var reader = _lanes[i].Reader;
            _loops[i] = Task.Run(() => DeliverLoopAsync(reader));
        }
    }

    public WebhookTargetSettings Settings { get; }

    /// <summary>Events waiting or in flight.</summary>
    public int Pending => Volatile.Read(ref _pending);

    /// <summary>The lane of a stream's events: the same for all of them, for as long as the process runs.</summary>
    public static int LaneOf(WebhookEvent e) => (int)((uint)HashCode.Combine(e.Domain, e.App, e.Stream) % Lanes);

    /// <summary>Queues <paramref name="e"/> without waiting; false when the queue is full (dropped, counted) or closed.</summary>
    public bool TryEnqueue(WebhookEvent e)
    {
        if (_closed)
        {
            return false;
        }
        if (Interlocked.Increment(ref _pending) <= Settings.QueueSize && _lanes[LaneOf(e)].Writer.TryWrite(e))
        {
            if (_dropping)
            {
                // The queue has room again: the drops not yet reported get their count line.
                _dropping = false;
                _dropLog.Flush();
            }
            return true;
        }
        Interlocked.Decrement(ref _pending);
        if (_closed)
        {
            return false;
        }
        _counters.OnDropped();
        _dropping = true;
        if (_dropLog.ShouldLog())
        {
            WebhookLog.Dropped(_logger, _url, Settings.QueueSize, e.Event, $"{e.Domain}/{e.App}/{e.Stream}");
        }
        return false;
    }

    /// <summary>Takes no more events; those queued are still delivered (with their retries), then the loops end.</summary>
    public void Close()
    {
        _closed = true;
        foreach (var lane in _lanes)
        {
            lane.Writer.TryComplete();
        }
    }

    /// <summary>Closes, then gives what is queued up to <paramref name="grace"/> before abandoning it.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        Close();
        var loops = Task.WhenAll(_loops);
        if (await Task.WhenAny(loops, Task.Delay(grace)).ConfigureAwait(false) != loops)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
        }
        await loops.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.Zero).ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task DeliverLoopAsync(ChannelReader<WebhookEvent> reader)
    {
        try
        {
            while (await reader.WaitToReadAsync(_stop.Token).ConfigureAwait(false))
            {
                while (reader.TryRead(out var e))
                {
                    try
                    {
                        await DeliverAsync(e).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        // A fault of ours must not end the lane: the events behind would wait forever.
                        GiveUp(e, 1, ex.Message);
                    }
                    finally
                    {
                        Interlocked.Decrement(ref _pending);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // The node stops: what is left is abandoned.
        }
    }

    /// <summary>Attempts until a 2xx, an answer not worth retrying, or the retries are used up; never throws but for stopping.</summary>
    private async Task DeliverAsync(WebhookEvent e)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(e, WebhookJsonContext.Default.WebhookEvent);
        var signature = _secret is null ? null : Sign(_secret, body);
        var stream = $"{e.Domain}/{e.App}/{e.Stream}";
        WebhookAnswer answer;
        var attempts = 0;
        while (true)
        {
            attempts++;
            answer = await _transport.PostAsync(e.Event, body, signature, _stop.Token).ConfigureAwait(false);
            if (answer.Delivered)
            {
                _counters.OnDelivered();
                _failLog.Flush();
                return;
            }
            if (!answer.WorthRetrying || attempts > Settings.Retries)
            {
                break;
            }
            var waitMs = Settings.BackoffMs(attempts - 1);
            _counters.OnRetry();
            WebhookLog.Retrying(_logger, _url, e.Event, stream, answer.ToString(), attempts, waitMs);
            await _delay(TimeSpan.FromMilliseconds(waitMs), _stop.Token).ConfigureAwait(false);
        }
        GiveUp(e, attempts, answer.ToString());
    }

    private void GiveUp(WebhookEvent e, int attempts, string answer)
    {
        // Logged before counted: whoever sees the count (a test, /metrics) finds the line already written.
        if (_failLog.ShouldLog())
        {
            WebhookLog.GaveUp(_logger, _url, e.Event, $"{e.Domain}/{e.App}/{e.Stream}", attempts, answer);
        }
        _counters.OnFailed();
    }

    /// <summary>"sha256=" and the hex HMAC-SHA256 of the body: what X-Appliance-Signature carries.</summary>
    public static string Sign(byte[] secret, ReadOnlySpan<byte> body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(secret, body));
}
