using System.Diagnostics;
using Appliance.Codecs.Avc;
using Appliance.Codecs.Flv;
using Appliance.Load.Targets;
using Appliance.Protocols.Rtmp;
using Appliance.Transport.Sockets;

namespace Appliance.Load.Publish;

/// <summary>
/// Publishes an encoder's FLV file over RTMP in real time, with a latency stamp in every video
/// frame: each tag is sent when the wall clock reaches its timestamp (from the start), the file
/// loops with timestamps that keep increasing, and each video frame carries the time it was
/// sent. The bitrate is the encoder's, burst for burst.
/// </summary>
internal sealed class StampedPublisher
{
    private readonly StreamUrl _url;
    private readonly FlvSource _source;
    private readonly long _startMs;
    private readonly TaskCompletionSource _publishing = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _lastStamp;

    /// <param name="startMs">The first tag's timestamp on the wire (an aged stream starts far from 0; RTMP wraps at 2^32).</param>
    public StampedPublisher(StreamUrl url, FlvSource source, long startMs)
    {
        _url = url;
        _source = source;
        _startMs = startMs;
    }

    /// <summary>Completes once the server said NetStream.Publish.Start; fails if the publisher fails before.</summary>
    public Task Publishing => _publishing.Task;

    public PublisherFigures Figures { get; } = new();

    /// <summary>Publishes until <paramref name="stop"/>; returns why it stopped early, or null.</summary>
    public async Task<string?> RunAsync(CancellationToken stop)
    {
        RtmpClient? client = null;
        try
        {
            var transport = await LoadConnector.ConnectAsync(_url, stop).ConfigureAwait(false);
            client = await RtmpClient.ConnectAsync(transport.Stream, _url.App, _url.TcUrl, stop).ConfigureAwait(false);
            await client.PublishAsync(_url.StreamName, stop).ConfigureAwait(false);
            _publishing.TrySetResult();
            await SendLoopsAsync(client, stop).ConfigureAwait(false);
            return null;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception e)
        {
            var why = Viewers.ErrorText.Of(e);
            _publishing.TrySetException(new InvalidOperationException(why));
            Figures.Error = why;
            return why;
        }
        finally
        {
            _publishing.TrySetCanceled(CancellationToken.None);
            if (client is not null)
            {
                Figures.Bytes = client.BytesSent;
                await client.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task SendLoopsAsync(RtmpClient client, CancellationToken stop)
    {
        var inserter = new StampInserter(_source.NalLengthSize);
        var started = Stopwatch.GetTimestamp();
        for (long loop = 0; ; loop++)
        {
            var loopStartMs = loop * _source.DurationMs;
            foreach (var tag in _source.Tags)
            {
                if (tag.Header && loop > 0)
                {
                    continue;
                }
                var dueMs = loopStartMs + tag.TimeMs;
                var wait = TimeSpan.FromMilliseconds(dueMs) - Stopwatch.GetElapsedTime(started);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, stop).ConfigureAwait(false);
                }
                else
                {
                    Figures.NoteLate(-wait.TotalMilliseconds);
                }
                var timestamp = unchecked((uint)(_startMs + dueMs));
                if (tag.Type == FlvTagType.Video)
                {
                    var payload = inserter.Stamp(tag.Payload, NextStamp(), out var stamped);
                    await client.SendMediaAsync(RtmpMessageType.Video, timestamp, payload, stop).ConfigureAwait(false);
                    Figures.VideoFrames += stamped ? 1 : 0;
                }
                else
                {
                    await client.SendMediaAsync(RtmpMessageType.Audio, timestamp, tag.Payload, stop).ConfigureAwait(false);
                }
                Figures.Bytes = client.BytesSent;
            }
            Figures.Loops = loop + 1;
        }
    }

    // The wall clock, strictly increasing (two frames sent within a microsecond still differ).
    private long NextStamp()
    {
        var now = SeiStamp.UnixMicroseconds(DateTime.UtcNow);
        _lastStamp = Math.Max(now, _lastStamp + 1);
        return _lastStamp;
    }
}

/// <summary>What the stamped publisher did.</summary>
internal sealed class PublisherFigures
{
    public long VideoFrames { get; set; }

    public long Loops { get; set; }

    public long Bytes { get; set; }

    /// <summary>The most a tag was sent after its time (the machine was busy, or the socket full).</summary>
    public double MaxLateMs { get; private set; }

    public string? Error { get; set; }

    public void NoteLate(double ms) => MaxLateMs = Math.Max(MaxLateMs, ms);
}
