using Appliance.Node.Config;
using Appliance.Streaming.Fanout;
using Appliance.Streaming.Media;
using Appliance.Streaming.Streams;

namespace Appliance.Node.Srt;

// The requesting side (m=request): the stream's TS packets out, the same ones HTTP-TS sends.
public sealed partial class SrtServerSession
{
    private Subscription? _playing;

    private async Task<string> PlayAsync(StreamKey key, string? query)
    {
        var stream = _context.Streams.FindForPlay(key);
        if (_context.Relay is { } relay && relay.MustWait(key, stream))
        {
            stream = await relay.FindOrPullAsync(key, query, Client).ConfigureAwait(false);
        }
        if (stream is null)
        {
            _status = "not-found";
            throw new SrtRefusedException($"stream {key} not found");
        }
        if (stream.IsFull)
        {
            _status = "refused";
            throw new SrtRefusedException($"stream {key} has its maximum of {stream.App.MaxViewersPerStream} viewers");
        }
        stream.EnsureTsPackaging();
        // Another node pulling (the via query): its timeline continues this one, and its first
        // packet says where this timeline is (ParentMediaTimePacket); players never get either.
        var relayed = Relay.Urls.Via.IsRelayRequest(query);
        if (relayed && stream.MediaTimeMs is var mediaTimeMs and >= 0)
        {
            Writer.Send(Relay.Pull.ParentMediaTimePacket.Create(mediaTimeMs));
        }
        var subscription = stream.Subscribe(Writer, WireFormat.Ts, relay: relayed);
        if (subscription is null)
        {
            _status = "not-found";
            throw new SrtRefusedException($"stream {key} ended or filled up");
        }
        subscription.Ended = static s => s.Writer.CloseAfterFlush("stream ended");
        _playing = subscription;
        _role = "srt-play";
        AnnounceStart(WebhookEventNames.Play, key, query);
        return await DrainAsync().ConfigureAwait(false);
    }
}
