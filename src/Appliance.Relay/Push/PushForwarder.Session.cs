using Appliance.Streaming.Fanout;
using Appliance.Streaming.Media;

namespace Appliance.Relay.Push;

// What an RTMP and an SRT session with a target share once connected: the subscription, the race
// between the writer and the listener, and the teardown of whichever is still running.
internal sealed partial class PushForwarder
{
    /// <summary>
    /// Forwards the stream's <paramref name="format"/> bytes through <paramref name="writer"/> while
    /// <paramref name="listen"/> watches the target, until either ends; returns why, or null when the
    /// stream had ended before it could be subscribed to.
    /// </summary>
    /// <param name="stopListening">Ends the listener when the writer ended first (the listener has no other way to learn it).</param>
    private async Task<string?> ForwardSessionAsync(string key, ConnectionWriter writer, WireFormat format, Func<Task<string>> listen, Func<Task> stopListening)
    {
        var subscription = _stream.SubscribeForwarder(writer, format);
        if (subscription is null)
        {
            return null;
        }
        subscription.Ended = _ => writer.CloseAfterFlush("stream ended");
        _writer = writer;
        Interlocked.Increment(ref _sessions);
        _state = "forwarding";
        _lastError = null;
        PushLog.Forwarding(_logger, key, _target.ToString());
        var writing = writer.RunAsync();
        var listening = listen();
        var first = await Task.WhenAny(writing, listening).ConfigureAwait(false);
        string reason;
        if (ReferenceEquals(first, listening))
        {
            reason = await listening.ConfigureAwait(false);
            writer.Close(reason);
            await writing.ConfigureAwait(false);
        }
        else
        {
            reason = await writing.ConfigureAwait(false);
            await stopListening().ConfigureAwait(false);
            await listening.ConfigureAwait(false);
        }
        Interlocked.Add(ref _bytesBefore, writer.BytesWritten);
        _writer = null;
        return reason;
    }
}
