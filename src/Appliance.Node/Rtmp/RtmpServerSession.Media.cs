using Appliance.Node.Logging;
using Appliance.Streaming.Logging;
using Appliance.Streaming.Ingest;
using Appliance.Streaming.Streams;
using Appliance.Protocols.Rtmp;
using Microsoft.Extensions.Logging;

namespace Appliance.Node.Rtmp;

// The publishing side: media into the stream this connection publishes.
public sealed partial class RtmpServerSession
{
    private RtmpPublisher? _publisher;
    private LiveStream? _publishStream;
    private MediaIngest? _ingest;
    private RepeatedLog? _ignoredMedia;

    void IRtmpServerHandler.OnMedia(in RtmpMessage message)
    {
        if (_publisher is null || _publishStream is null)
        {
            // Media before publish (or from a player) is not ours to keep; a peer may send a lot of it.
            _ignoredMedia ??= new RepeatedLog(_context.Logger, LogLevel.Debug, $"rtmp {Client}", "media messages outside publish ignored");
            if (_ignoredMedia.ShouldLog())
            {
                LiveLog.Ignored(_context.Logger, Client, $"media message type {message.TypeId} outside publish");
            }
            return;
        }
        _ingest ??= new MediaIngest(_publishStream, _publisher, _context.Logger);
        try
        {
            _ingest.Accept(message.TypeId, message.Timestamp, message.Payload.AddRef());
        }
        catch (MediaFormatException ex)
        {
            throw new RtmpProtocolException(ex.Message);
        }
    }

    private void EndPublishing(string reason)
    {
        var publisher = _publisher;
        var stream = _publishStream;
        if (publisher is null || stream is null)
        {
            return;
        }
        _publisher = null;
        _publishStream = null;
        _ingest = null;
        stream.DetachSource(publisher);
        LiveLog.PublishStop(_context.Logger, stream.Key.ToString(), Client, reason);
        AnnounceEnd(reason);
    }
}
