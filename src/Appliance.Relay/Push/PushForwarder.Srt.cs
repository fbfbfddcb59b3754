using Appliance.Core.Time;
using Appliance.Protocols.Srt;
using Appliance.Relay.Logging;
using Appliance.Relay.Pull;
using Appliance.Streaming.Fanout;
using Appliance.Streaming.Media;
using Appliance.Transport.Accounting;
using Appliance.Transport.Srt;

namespace Appliance.Relay.Push;

// srt:// targets: call with an m=publish stream id, then send the stream's TS packets (the ones
// HTTP-TS and SRT viewers get) until either side ends it. A target that refuses the publish after
// accepting the call (already published, auth) closes the connection: that is how it says no.
internal sealed partial class PushForwarder
{
    private async Task<Outcome> ForwardOverSrtOnceAsync(string key)
    {
        var openedMs = MonotonicClock.NowMs;
        SrtConnection connection;
        try
        {
            var streamId = _target.Srt!.StreamId(_stream.Key.App, _stream.Key.Name, SrtMode.Publish, _nodeQuery);
            connection = await SrtUpstreamConnection.OpenAsync(_target, streamId, _connector, _timing.ConnectTimeoutMs, _stop.Token).ConfigureAwait(false);
        }
        catch (ArgumentException ex)
        {
            return new Outcome(false, ex.Message);
        }
        catch (UpstreamException ex)
        {
            return new Outcome(false, ex.Message);
        }
        var traffic = new SrtTargetConnection();
        _traffic.OnOpened(traffic);
        Outcome outcome;
        try
        {
            outcome = await ForwardOverSrtAsync(key, connection, traffic).ConfigureAwait(false);
        }
        finally
        {
            connection.Abort();
            _traffic.OnClosed(traffic);
        }
        var failed = !_stop.IsCancellationRequested && !_stream.IsEnded;
        RelayAccessLine.Write(_accessLog, "push-srt", _target, _stream.Key, failed, traffic, openedMs, outcome.Reason);
        return outcome;
    }

    private async Task<Outcome> ForwardOverSrtAsync(string key, SrtConnection connection, SrtTargetConnection traffic)
    {
        var startedMs = MonotonicClock.NowMs;
        _stream.EnsureTsPackaging();
        var writer = new ConnectionWriter(connection.Output);
        traffic.Writer = writer;
        var reason = await ForwardSessionAsync(key, writer, WireFormat.Ts, () => ListenAsync(connection, traffic),
            () =>
            {
                // Closing the socket ends the receive thread, and with it the listener.
                connection.Abort();
                return Task.CompletedTask;
            }).ConfigureAwait(false);
        if (reason is null)
        {
            return new Outcome(false, "stream ended");
        }
        // A target that refuses the publish closes at once: not a session that worked, so the backoff grows.
        return new Outcome(MonotonicClock.NowMs - startedMs >= _timing.RetryMs, reason);
    }

    /// <summary>Reads (and drops) what the target sends until it closes the connection.</summary>
    private static async Task<string> ListenAsync(SrtConnection connection, SrtTargetConnection traffic)
    {
        var input = connection.Input;
        try
        {
            while (true)
            {
                var result = await input.ReadAsync().ConfigureAwait(false);
                Interlocked.Add(ref traffic.Received, result.Buffer.Length);
                input.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    return "the target closed the connection (a publish it refused, e.g. already published or not authorized, ends alike: its log says which)";
                }
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or OperationCanceledException)
        {
            return $"the target broke the session: {ex.Message}";
        }
        finally
        {
            await input.CompleteAsync().ConfigureAwait(false);
        }
    }

    /// <summary>One SRT session with the target, as the node's traffic counts it.</summary>
    private sealed class SrtTargetConnection : IConnectionTraffic
    {
        public long Received;

        public ConnectionWriter? Writer { get; set; }

        public string Listener => TrafficTotals.Push;

        public long BytesIn => Interlocked.Read(ref Received);

        public long BytesOut => Writer?.BytesWritten ?? 0;
    }
}
