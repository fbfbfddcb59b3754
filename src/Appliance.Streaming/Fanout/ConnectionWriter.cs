using Appliance.Core.Buffers;
using Appliance.Core.Connections;
using Appliance.Core.Time;

namespace Appliance.Streaming.Fanout;

/// <summary>
/// The only writer of one connection. Protocol replies are queued with <see cref="Send"/>; media
/// comes from the attached subscription. Each wake-up drains both into one gather write, so a
/// viewer costs one syscall per flush however many frames it carries. With a flush interval the
/// wake-ups come from a shared ticker instead of from every frame. A request/response session
/// may write its replies itself when the writer is idle (ConnectionWriter.Inline.cs), so a reply
/// costs no thread-pool hop, and a merged flush writes an idle writer's media from its own work
/// item (ConnectionWriter.Flush.cs); one owner at a time writes, in queue order.
/// </summary>
public sealed partial class ConnectionWriter
{
    /// <summary>The reason a writer stops when its viewer had to skip ahead too often.</summary>
    public const string TooSlowReason = "viewer too slow: had to skip ahead too often";

    /// <summary>The reason a writer stops when replies pile up because the peer does not read them.</summary>
    public const string BacklogReason = "peer does not read its replies: reply queue full";

    public const int MaxQueuedReplies = 1024;
    public const long MaxQueuedReplyBytes = 4 * 1024 * 1024;

    private readonly IGatherSink _sink;
    private readonly Lock _lock = new();
    private readonly AsyncSignal _signal = new();
    private readonly OutputBatch _batch = new();
    // Empty until a reply is queued: an HTTP viewer queues one (its response head), so one of the
    // two never needs an array.
    private List<OutputItem> _control = [];
    private List<OutputItem> _draining = [];
    private long _queuedReplyBytes;
    private Subscription? _subscription;
    private FlushTicker? _ticker;
    private long _writeStartedMs;
    private long _bytesWritten;
    private long _flushes;
    private volatile string? _closeReason;
    private bool _closeAfterFlush;
    private string? _pendingCloseReason;
    private IWriterEndListener? _endListener;

    public ConnectionWriter(IGatherSink sink) => _sink = sink;

    /// <summary>Told when <see cref="RunAsync"/> ends; set before the loop starts.</summary>
    public IWriterEndListener? EndListener
    {
        get => _endListener;
        set => _endListener = value;
    }

    public Subscription? Subscription => Volatile.Read(ref _subscription);

    /// <summary>Where the flush ticker keeps this writer; -1 when not registered.</summary>
    internal int TickerSlot { get; set; } = -1;

    /// <summary>When the write in progress started (monotonic ms), or 0 when none is blocked.</summary>
    public long WriteStartedMs => Interlocked.Read(ref _writeStartedMs);

    public long BytesWritten => Interlocked.Read(ref _bytesWritten);

    public long Flushes => Interlocked.Read(ref _flushes);

    /// <summary>True once <see cref="CloseAfterFlush"/> was asked: the writer ends after what is queued.</summary>
    public bool IsClosingAfterFlush
    {
        get
        {
            lock (_lock)
            {
                return _closeAfterFlush;
            }
        }
    }

    /// <summary>Queues bytes to send before any media not yet written; takes over the reference.</summary>
    public void Send(SharedBuffer buffer) => Enqueue(new OutputItem(buffer, null, 0, buffer.Length));

    /// <summary>Queues part of a file (sent with sendfile where the transport can); takes over the reference.</summary>
    public void SendFile(SharedFile file, long offset, long length) => Enqueue(new OutputItem(null, file, offset, length));

    private void Enqueue(OutputItem item)
    {
        bool wake;
        lock (_lock)
        {
            if (_closeReason is not null)
            {
                item.Release();
                return;
            }
            // Held: the session writes what it queued itself once its requests are answered.
            wake = !_holdWakeups;
            // A file is a reference, not queued bytes; only buffers count against the bound.
            var bytes = item.File is null ? item.Length : 0;
            if (_control.Count >= MaxQueuedReplies || _queuedReplyBytes + bytes > MaxQueuedReplyBytes)
            {
                item.Release();
                _closeReason = BacklogReason;
            }
            else
            {
                _control.Add(item);
                _queuedReplyBytes += bytes;
            }
        }
        if (wake || _closeReason is not null)
        {
            _signal.Set();
        }
    }

    /// <summary>Copies <paramref name="bytes"/> into a pooled buffer and queues it.</summary>
    public void Send(ReadOnlySpan<byte> bytes) => Send(SharedBuffer.CopyOf(bytes));

    public void Notify() => _signal.Set();

    internal void Attach(Subscription subscription, int flushIntervalMs, int maxUnsentBytes)
    {
        if (maxUnsentBytes > 0)
        {
            _sink.LimitUnsent(maxUnsentBytes);
        }
        Volatile.Write(ref _subscription, subscription);
        if (flushIntervalMs > 0)
        {
            _ticker = FlushTicker.For(flushIntervalMs);
            _ticker.Add(this);
        }
        _signal.Set();
    }

    /// <summary>Leaves the stream (e.g. deleteStream); the connection stays.</summary>
    public void Detach()
    {
        var subscription = Interlocked.Exchange(ref _subscription, null);
        if (subscription is null)
        {
            return;
        }
        _ticker?.Remove(this);
        _ticker = null;
        subscription.Source.Unsubscribe(subscription);
    }

    /// <summary>Stops the writer: queued replies are dropped and <see cref="RunAsync"/> returns.</summary>
    public void Close(string reason)
    {
        _closeReason ??= reason;
        _signal.Set();
    }

    /// <summary>Writes what is queued, then stops (an HTTP-FLV response that has reached its end).</summary>
    public void CloseAfterFlush(string reason)
    {
        lock (_lock)
        {
            _closeAfterFlush = true;
            _pendingCloseReason ??= reason;
        }
        _signal.Set();
    }

    /// <summary>The send loop; returns the reason it stopped. Throws nothing: a failed write is a reason.</summary>
    public async Task<string> RunAsync()
    {
        string? reason = null;
        try
        {
            while (true)
            {
                var wake = _signal.WaitAsync();
                if (!wake.IsCompleted)
                {
                    NoteWaited();
                }
                await wake.ConfigureAwait(false);
                if (!TryOwnOrLeaveWake())
                {
                    // A session's reply or a flush's write owns the sink; the owner wakes this loop when it lets go.
                    continue;
                }
                _loopWakes++;
                while (true)
                {
                    if (_closeReason is not null)
                    {
                        return reason = _closeReason;
                    }
                    var closeNow = TakeReplies();
                    await WriteRepliesAsync().ConfigureAwait(false);
                    var result = closeNow ? CollectResult.Idle : CollectMedia();
                    await FlushAsync().ConfigureAwait(false);
                    if (closeNow)
                    {
                        return reason = _pendingCloseReason ?? "closed";
                    }
                    if (result == CollectResult.Hopeless)
                    {
                        return reason = TooSlowReason;
                    }
                    if (result == CollectResult.Ended)
                    {
                        var subscription = Subscription;
                        Detach();
                        subscription?.Ended?.Invoke(subscription);
                        continue;
                    }
                    if (result != CollectResult.More)
                    {
                        break;
                    }
                }
                // Each return above keeps the ownership: once the loop has ended, no inline write starts.
                ReleaseOwnership();
            }
        }
        catch (Exception ex) when (IsWriteFailure(ex))
        {
            return reason = _closeReason ?? $"write failed: {ex.Message}";
        }
        finally
        {
            Detach();
            DropQueued();
            if (reason is not null)
            {
                _endListener?.OnWriterEnded(reason);
            }
        }
    }

    private bool TakeReplies()
    {
        lock (_lock)
        {
            (_control, _draining) = (_draining, _control);
            _queuedReplyBytes = 0;
            return _closeAfterFlush;
        }
    }

    /// <summary>
    /// Replies in order: buffers join the batch; a file goes by sendfile right after what is
    /// gathered (its response's head), which the transport sends as one with the file's first
    /// bytes. A file longer than <see cref="FairShareBytes"/> goes in pieces of that size, with a
    /// turn for other connections between them (<see cref="YieldIfDueAsync"/>).
    /// </summary>
    private async ValueTask WriteRepliesAsync()
    {
        for (var i = 0; i < _draining.Count; i++)
        {
            var item = _draining[i];
            _draining[i] = default;
            if (item.File is null)
            {
                _batch.AddOwned(item.Buffer!);
                continue;
            }
            var headBytes = _batch.Bytes;
            var gathered = _batch.Count > 0;
            try
            {
                await YieldIfDueAsync().ConfigureAwait(false);
                Interlocked.Exchange(ref _writeStartedMs, MonotonicClock.NowMs);
                var offset = item.Offset;
                var end = item.Offset + item.Length;
                var piece = Math.Min(FairShareBytes, end - offset);
                await Counted(_sink.WriteThenSendFileAsync(_batch.Slices, item.File, offset, piece, CancellationToken.None), headBytes + piece).ConfigureAwait(false);
                Interlocked.Add(ref _bytesWritten, headBytes + piece);
                headBytes = 0;
                _batch.ReleaseAll();
                for (offset += piece; offset < end; offset += piece)
                {
                    await YieldIfDueAsync().ConfigureAwait(false);
                    piece = Math.Min(FairShareBytes, end - offset);
                    await Counted(_sink.SendFileAsync(item.File, offset, piece, CancellationToken.None), piece).ConfigureAwait(false);
                    Interlocked.Add(ref _bytesWritten, piece);
                }
            }
            finally
            {
                Interlocked.Exchange(ref _writeStartedMs, 0);
                Interlocked.Add(ref _bytesWritten, headBytes);
                if (gathered)
                {
                    Interlocked.Increment(ref _flushes);
                }
                _batch.ReleaseAll();
                item.Release();
            }
        }
        _draining.Clear();
    }

    private CollectResult CollectMedia()
    {
        var subscription = Subscription;
        return subscription is null ? CollectResult.Idle : subscription.Source.Collect(subscription, _batch);
    }

    private async ValueTask FlushAsync()
    {
        if (_batch.Count == 0)
        {
            return;
        }
        await YieldIfDueAsync().ConfigureAwait(false);
        Interlocked.Exchange(ref _writeStartedMs, MonotonicClock.NowMs);
        try
        {
            await Counted(_sink.WriteAsync(_batch.Slices, CancellationToken.None), _batch.Bytes).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Exchange(ref _writeStartedMs, 0);
            Interlocked.Add(ref _bytesWritten, _batch.Bytes);
            Interlocked.Increment(ref _flushes);
            _batch.ReleaseAll();
        }
    }

    private void DropQueued()
    {
        lock (_lock)
        {
            _closeReason ??= "closed";
            foreach (var item in _control)
            {
                item.Release();
            }
            _control.Clear();
            _queuedReplyBytes = 0;
        }
        // A write that failed midway leaves replies it had not reached.
        foreach (var item in _draining)
        {
            item.Release();
        }
        _draining.Clear();
        _batch.ReleaseAll();
    }

    /// <summary>One queued reply: a buffer, or a range of a file.</summary>
    private readonly record struct OutputItem(SharedBuffer? Buffer, SharedFile? File, long Offset, long Length)
    {
        public void Release()
        {
            Buffer?.Release();
            File?.Release();
        }
    }
}
