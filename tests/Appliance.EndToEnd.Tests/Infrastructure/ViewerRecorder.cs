namespace Appliance.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Reads a viewer in the background and records what a player would notice: the first video
/// frame's type, frame counts, timestamps going backwards or leaping ahead of the wall clock, the
/// longest gap, and the end. Video timestamps are followed across RTMP's 32-bit wrap, as a player does.
/// Asked to, it keeps every video frame's arrival (<see cref="Arrivals"/>): how late one viewer got a
/// frame against another viewer of the same stream.
/// </summary>
public sealed class ViewerRecorder : IAsyncDisposable
{
    private readonly IMediaSource _source;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly object _gate = new();
    private readonly List<MediaMessage> _firstMessages = [];
    private long _lastVideoTimestamp = -1;
    private long _lastMediaTicks;
    private long _largestStepBeyondWallMs = long.MinValue;
    private volatile string _largestStepAt = "";
    private readonly List<FrameArrival>? _arrivals;
    private long _bytes;

    public ViewerRecorder(IMediaSource source, bool keepArrivals = false)
    {
        _source = source;
        _arrivals = keepArrivals ? [] : null;
        _lastMediaTicks = Environment.TickCount64;
        _loop = Task.Run(RunAsync);
    }

    public int VideoFrames { get; private set; }

    /// <summary>Every video frame's arrival, when the recorder was made to keep them (else empty).</summary>
    public IReadOnlyList<FrameArrival> Arrivals
    {
        get
        {
            lock (_gate)
            {
                return _arrivals is null ? [] : [.. _arrivals];
            }
        }
    }

    public int AudioFrames { get; private set; }

    public bool? FirstVideoFrameWasKey { get; private set; }

    public int BackwardSteps { get; private set; }

    public long LongestGapMs { get; private set; }

    /// <summary>
    /// The most any video timestamp step exceeded the wall-clock time between the two frames: about
    /// one frame interval for a live stream (frames can arrive together); a timeline moved forward
    /// shows here as the size of the move.
    /// </summary>
    public long LargestStepBeyondWallMs => Interlocked.Read(ref _largestStepBeyondWallMs);

    public bool Ended { get; private set; }

    public Exception? Error { get; private set; }

    public long LastVideoTimestamp => Interlocked.Read(ref _lastVideoTimestamp);

    public IReadOnlyList<MediaMessage> FirstMessages
    {
        get
        {
            lock (_gate)
            {
                return [.. _firstMessages];
            }
        }
    }

    private async Task RunAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var message = await _source.ReadAsync(_stop.Token);
                if (message is not { } m)
                {
                    Ended = true;
                    return;
                }
                var now = Environment.TickCount64;
                lock (_gate)
                {
                    // The FLV tag's 11-byte header and 4-byte trailer, as the wire carries them.
                    _bytes += m.Payload.Length + 15;
                    if (_firstMessages.Count < 16)
                    {
                        _firstMessages.Add(m);
                    }
                    if (m.IsVideo && !m.IsSequenceHeader)
                    {
                        FirstVideoFrameWasKey ??= m.IsKeyFrame;
                        var timestamp = WrappedTimestamp.Extend(_lastVideoTimestamp, m.Timestamp);
                        if (timestamp < _lastVideoTimestamp)
                        {
                            BackwardSteps++;
                        }
                        if (VideoFrames > 0)
                        {
                            LongestGapMs = Math.Max(LongestGapMs, now - _lastMediaTicks);
                            var beyond = timestamp - _lastVideoTimestamp - (now - _lastMediaTicks);
                            if (beyond > LargestStepBeyondWallMs)
                            {
                                // Where it happened, so a failure says whether it was at the fault or elsewhere.
                                _largestStepAt = $"video frame {VideoFrames}: {_lastVideoTimestamp} -> {timestamp} ms after {now - _lastMediaTicks} ms of wall clock";
                                Interlocked.Exchange(ref _largestStepBeyondWallMs, beyond);
                            }
                        }
                        Interlocked.Exchange(ref _lastVideoTimestamp, timestamp);
                        _arrivals?.Add(new FrameArrival(timestamp, now, _bytes));
                        _lastMediaTicks = now;
                        VideoFrames++;
                    }
                    else if (m.IsAudio && !m.IsSequenceHeader)
                    {
                        AudioFrames++;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            Error = ex;
            Ended = true;
        }
    }

    /// <summary>
    /// Asserts what a viewer of a failover, republish or reconnect must see: video timestamps that
    /// never step back, nor leap ahead by more than the real pause plus one frame interval.
    /// </summary>
    /// <param name="context">What the failure message adds, such as the frame count at the fault.</param>
    public void AssertContinuousTimeline(int frameIntervalMs = 40, string context = "")
    {
        Assert.True(BackwardSteps == 0, $"video timestamps stepped back {BackwardSteps} times");
        Assert.True(LargestStepBeyondWallMs <= frameIntervalMs,
            $"a video timestamp step exceeded the wall-clock pause by {LargestStepBeyondWallMs} ms (allowed: one frame, {frameIntervalMs} ms), at {_largestStepAt}; {context}");
    }

    /// <summary>
    /// Starts the timeline checks afresh (steps back, leaps ahead) from the next frame, which is still
    /// compared with the last one: a test of a fault calls it just before the fault, so what a busy
    /// machine did to the stream long before (a slow viewer skipped ahead) is not blamed on the fault.
    /// </summary>
    public void RestartTimelineChecks()
    {
        lock (_gate)
        {
            BackwardSteps = 0;
            _largestStepAt = "";
            Interlocked.Exchange(ref _largestStepBeyondWallMs, long.MinValue);
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds, or fails with what was seen.</summary>
    public async Task WaitUntilAsync(Func<ViewerRecorder, bool> condition, TimeSpan timeout, string what)
    {
        var started = Environment.TickCount64;
        while (!condition(this))
        {
            if (Environment.TickCount64 - started > timeout.TotalMilliseconds)
            {
                throw new TimeoutException($"viewer: {what} not seen within {timeout.TotalSeconds:F0}s (video {VideoFrames}, audio {AudioFrames}, ended {Ended}, error {Error?.Message})");
            }
            await Task.Delay(25);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }
        await _source.DisposeAsync();
        _stop.Dispose();
    }
}
