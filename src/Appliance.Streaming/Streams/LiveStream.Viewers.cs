using Appliance.Core.Time;
using Appliance.Streaming.Fanout;
using Appliance.Streaming.Media;
using Appliance.Streaming.Settings;

namespace Appliance.Streaming.Streams;

/// <summary>The viewer side of a stream: joining at a keyframe, pausing, and collecting what each viewer has not been sent.</summary>
public sealed partial class LiveStream
{
    /// <summary>True when the app's viewer limit for one stream is reached.</summary>
    public bool IsFull
    {
        get
        {
            lock (_lock)
            {
                return IsFullLocked;
            }
        }
    }

    private bool IsFullLocked => App.MaxViewersPerStream > 0 && _viewers.Count - _forwarders + _hlsViewers >= App.MaxViewersPerStream;

    // HLS players are no subscribers (they fetch segments on their own time); the node's table of
    // HLS sessions counts them in here so that one viewer limit covers every protocol.
    private int _hlsViewers;

    /// <summary>Counts an HLS session as a viewer; false when the stream has ended or is full.</summary>
    public bool TryAddHlsViewer()
    {
        lock (_lock)
        {
            if (_ended || IsFullLocked)
            {
                return false;
            }
            _hlsViewers++;
            return true;
        }
    }

    /// <summary>An HLS session counted by <see cref="TryAddHlsViewer"/> has ended.</summary>
    public void RemoveHlsViewer()
    {
        lock (_lock)
        {
            if (_hlsViewers > 0)
            {
                _hlsViewers--;
            }
        }
    }

    /// <summary>Viewers by protocol, counted in place (for listings and metrics, without a snapshot).</summary>
    public ViewerCounts CountViewers()
    {
        int rtmp = 0, flv = 0, ts = 0, hls;
        lock (_lock)
        {
            hls = _hlsViewers;
            for (var i = 0; i < _viewers.Count; i++)
            {
                if (_viewers[i].IsForwarder)
                {
                    continue;
                }
                switch (_viewers[i].Format)
                {
                    case WireFormat.Rtmp:
                        rtmp++;
                        break;
                    case WireFormat.Flv:
                        flv++;
                        break;
                    default:
                        ts++;
                        break;
                }
            }
        }
        return new ViewerCounts(rtmp, flv, ts, hls);
    }

    /// <summary>
    /// Adds a viewer; it starts at the GOP cache's keyframe (or waits for the next one), as the
    /// app's join mode says. <paramref name="relay"/>: the viewer is another node pulling the stream,
    /// which continues this timeline, so its frames are never re-stamped. <paramref name="browser"/>:
    /// a web browser's request, whose live join takes the app's browserJoinBurstMs. Null if the stream has ended.
    /// </summary>
    public Subscription? Subscribe(ConnectionWriter writer, WireFormat format, bool relay = false, bool browser = false)
    {
        var subscription = new Subscription(this, format, writer, App.MaxViewerSkipsPerMinute) { IsRelay = relay, IsBrowser = browser };
        lock (_lock)
        {
            if (_ended || IsFullLocked)
            {
                return null;
            }
            StartAtKeyFrame(subscription);
            _viewers.Add(subscription);
        }
        // Another node's pull is left the kernel's sizes: it judges where its parent's GOP burst ends
        // by how the burst arrives, and a bound on unsent bytes would deliver it in pieces.
        writer.Attach(subscription, App.FlushIntervalMs, relay ? 0 : App.MaxViewerUnsentBytes);
        return subscription;
    }

    /// <summary>
    /// Adds a forwarder (a push, read as RTMP; a transcoder's input, read as FLV): read like a viewer
    /// of that format, but not counted as one (no viewer limit, not in the viewer counts, does not
    /// keep an on-demand pull alive). Null if the stream has ended.
    /// </summary>
    public Subscription? SubscribeForwarder(ConnectionWriter writer, WireFormat format = WireFormat.Rtmp)
    {
        var subscription = new Subscription(this, format, writer, App.MaxViewerSkipsPerMinute) { IsForwarder = true };
        lock (_lock)
        {
            if (_ended)
            {
                return null;
            }
            StartAtKeyFrame(subscription);
            _viewers.Add(subscription);
            _forwarders++;
        }
        writer.Attach(subscription, App.FlushIntervalMs, App.MaxViewerUnsentBytes);
        return subscription;
    }

    public void Unsubscribe(Subscription subscription)
    {
        lock (_lock)
        {
            EndBurst(subscription);
            if (!_viewers.Remove(subscription))
            {
                return;
            }
            if (subscription.IsForwarder)
            {
                _forwarders--;
            }
            if (!_ended || _viewers.Count > 0)
            {
                return;
            }
        }
        // The last viewer of an ended stream has left: nobody can need its frames any more.
        ReleaseMedia();
    }

    public void SetPaused(Subscription subscription, bool paused)
    {
        lock (_lock)
        {
            if (subscription.Paused == paused)
            {
                return;
            }
            subscription.Paused = paused;
            if (!paused)
            {
                StartAtKeyFrame(subscription);
            }
        }
        subscription.Writer.Notify();
    }

    private void StartAtKeyFrame(Subscription subscription)
    {
        EndBurst(subscription);
        var gop = !App.GopCache ? -1 : subscription.IsRelay ? RelayKeyFrame() : JoinKeyFrame();
        subscription.Cursor = gop >= 0 ? gop : _log.Head;
        subscription.WaitForKeyFrame = gop < 0 && HasVideo;
        subscription.NeedsHeaders = true;
        // The first viewer of a pull usually comes before the parent's GOP cache has: its burst is
        // planned once the catch-up has brought the live edge, not skipped for want of a keyframe.
        if (gop >= 0 || _catchingUp && !_ended)
        {
            AskForBurst(subscription);
        }
    }

    /// <summary>
    /// Where another node's pull starts: a GOP before the newest keyframe (when held and younger
    /// than the lag limit), else where a viewer would. A node that moves its pull here after
    /// losing another parent has frames up to some time it reached there; when that time is past
    /// this node's newest keyframe, starting at the newest would leave a hole between the two,
    /// and the viewers of that node would skip those frames. A GOP earlier, the copies overlap and
    /// the pulling node drops what it already has.
    /// </summary>
    private long RelayKeyFrame()
    {
        var newest = _log.LastKeyFrame;
        for (var sequence = newest - 1; newest >= 0 && sequence >= _log.Tail; sequence--)
        {
            if (_log[sequence].IsVideoKeyFrame)
            {
                return _log[sequence].Timestamp >= _log.NewestTimestamp - App.MaxViewerLagMs ? sequence : JoinKeyFrame();
            }
        }
        return JoinKeyFrame();
    }

    /// <summary>
    /// The keyframe a viewer starts at: in "buffer" mode the newest, or an older one still in the
    /// log when the newest leaves less than the join buffer; in "live" mode see
    /// <see cref="LiveJoinKeyFrame"/> (another node's copy starts there too, unchanged, so that
    /// node has as many frames for its own viewers' bursts); otherwise the newest.
    /// </summary>
    private long JoinKeyFrame()
    {
        if (App.JoinMode == JoinModes.Live)
        {
            return LiveJoinKeyFrame(_log.Tail);
        }
        var newest = _log.LastKeyFrame;
        if (newest < 0 || App.JoinMode != JoinModes.Buffer || App.JoinBufferMs == 0 || _log.NewestTimestamp - _log[newest].Timestamp >= App.JoinBufferMs)
        {
            return newest;
        }
        for (var sequence = newest - 1; sequence >= _log.Tail; sequence--)
        {
            if (_log[sequence].IsVideoKeyFrame)
            {
                return sequence;
            }
        }
        return newest;
    }

    /// <summary>
    /// Moves what <paramref name="subscription"/> has not yet been sent into <paramref name="batch"/>:
    /// headers first when it (re)starts, then frames from its cursor. A viewer too far behind
    /// live jumps to the newest keyframe.
    /// </summary>
    public CollectResult Collect(Subscription subscription, OutputBatch batch)
    {
        lock (_lock)
        {
            if (_ended && _mediaReleased)
            {
                return CollectResult.Ended;
            }
            if (subscription.Paused && !_ended)
            {
                return CollectResult.Idle;
            }
            if (!_ended && IsLagging(subscription.Cursor))
            {
                if (!SkipAhead(subscription))
                {
                    return CollectResult.Hopeless;
                }
            }
            if (subscription.BurstPending && !PlanBurst(subscription))
            {
                return CollectResult.Idle;
            }
            if (subscription.NeedsHeaders)
            {
                AddHeaders(subscription.Format, subscription.Cursor, batch);
                subscription.NeedsHeaders = false;
            }
            if (subscription.Burst is not null && !AddBurst(subscription, batch))
            {
                return CollectResult.More;
            }
            while (subscription.Cursor < _log.Head)
            {
                if (batch.IsFull)
                {
                    return CollectResult.More;
                }
                var frame = _log[subscription.Cursor++];
                if (subscription.WaitForKeyFrame)
                {
                    if (frame.IsVideoKeyFrame)
                    {
                        subscription.WaitForKeyFrame = false;
                    }
                    else if (!frame.IsSequenceHeader && frame.Kind != FrameKind.Script)
                    {
                        continue;
                    }
                }
                var wire = subscription.Format == WireFormat.Ts ? frame.PackagedTs : frame.GetWire(subscription.Format, Serializer);
                if (wire is null)
                {
                    continue;
                }
                batch.Add(wire);
                subscription.FramesSent++;
                if (frame.IsMedia && frame.Timestamp > subscription.LastStamp)
                {
                    subscription.LastStamp = frame.Timestamp;
                }
            }
            // An ended stream's viewers get everything that was queued, then the end.
            return _ended ? CollectResult.Ended : CollectResult.Idle;
        }
    }

    // Headers and script data carry no time of their own (an encoder stamps its first ones 0
    // however late its media starts): only a media frame tells how far behind a viewer is.
    private bool IsLagging(long cursor) =>
        cursor < _log.Tail ||
        (cursor < _log.Head && _log[cursor].IsMedia && _log[cursor].Timestamp < _log.NewestTimestamp - App.MaxViewerLagMs);

    private bool SkipAhead(Subscription subscription)
    {
        var keyFrame = _log.LastKeyFrame;
        if (keyFrame > subscription.Cursor)
        {
            EndBurst(subscription);
            subscription.Cursor = keyFrame;
            subscription.WaitForKeyFrame = false;
            AskForBurst(subscription);
        }
        else if (subscription.Cursor < _log.Tail)
        {
            EndBurst(subscription);
            subscription.Cursor = _log.Head;
            subscription.WaitForKeyFrame = HasVideo;
        }
        else
        {
            // Behind but inside the current GOP: there is no later keyframe to jump to yet.
            return true;
        }
        subscription.NeedsHeaders = true;
        return !subscription.RecordSkipAndCheckHopeless(MonotonicClock.NowMs);
    }

    /// <summary>The current headers, except those the viewer will meet in the log from <paramref name="cursor"/> on.</summary>
    private void AddHeaders(WireFormat format, long cursor, OutputBatch batch)
    {
        if (format == WireFormat.Ts)
        {
            // TS carries its configuration in-band: PAT, PMT and parameter sets come with each keyframe.
            return;
        }
        if (_metadata is not null && _metadataSequence < cursor)
        {
            batch.Add(_metadata.GetWire(format, Serializer));
        }
        if (_videoHeader is not null && _videoHeaderSequence < cursor)
        {
            batch.Add(_videoHeader.GetWire(format, Serializer));
        }
        if (_audioHeader is not null && _audioHeaderSequence < cursor)
        {
            batch.Add(_audioHeader.GetWire(format, Serializer));
        }
    }
}
