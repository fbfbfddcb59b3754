using Appliance.Node.Config;
using Appliance.Node.Logging;
using Appliance.Streaming.Ingest;
using Appliance.Streaming.Streams;

namespace Appliance.Node.Srt;

// The publishing side: MPEG-TS from the caller into a stream.
public sealed partial class SrtServerSession
{
    private SrtPublisher? _publisher;
    private LiveStream? _publishStream;
    private TsIngest? _ingest;

    private async Task<string> PublishAsync(AppConfig app, StreamKey key, string? query)
    {
        if (app.MaxPublishers > 0 && _context.Streams.CountPublishing(key.Domain, key.App) >= app.MaxPublishers)
        {
            _status = "refused";
            throw new SrtRefusedException($"app {key.Domain}/{key.App} already has {app.MaxPublishers} publishers");
        }
        var publisher = new SrtPublisher(this);
        if (_context.Streams.TryPublish(key, app, publisher, out var stream) != PublishOutcome.Started)
        {
            _status = "refused";
            throw new SrtRefusedException($"stream {key} is already being published");
        }
        _context.Push?.OnPublished(stream, app, []);
        _publisher = publisher;
        _publishStream = stream;
        _ingest = new TsIngest(stream, publisher, _context.Logger);
        _role = "srt-publish";
        LiveLog.PublishStart(_context.Logger, key.ToString(), Client);
        AnnounceStart(WebhookEventNames.Publish, key, query);

        var input = Connection.Input;
        while (true)
        {
            var result = await input.ReadAsync().ConfigureAwait(false);
            var buffer = result.Buffer;
            foreach (var segment in buffer)
            {
                _ingest.Write(segment.Span);
            }
            BytesIn += buffer.Length;
            MarkReceived();
            input.AdvanceTo(buffer.End);
            if (result.IsCompleted)
            {
                _ingest.Flush();
                return "peer closed";
            }
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
        stream.DetachSource(publisher);
        LiveLog.PublishStop(_context.Logger, stream.Key.ToString(), Client, reason);
        AnnounceEnd(reason);
    }
}
