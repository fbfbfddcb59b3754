namespace Appliance.Load.Viewers.Cmaf;

/// <summary>
/// The newest playlist or MPD of a player, handed from the loop that reloads it to the loops that
/// read it: two buffers swapped under a lock, so a reload copies and allocates no document. The
/// reloading loop alone fills <see cref="Spare"/>; readers read <see cref="Current"/> only while
/// holding <see cref="Lock"/>, and every reader waiting for a newer one wakes when it comes.
/// </summary>
internal sealed class Published<T>
    where T : class
{
    private T _current;
    private long _version;
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Published(T first, T second)
    {
        _current = first;
        Spare = second;
    }

    public Lock Lock { get; } = new();

    /// <summary>The newest published; read it under <see cref="Lock"/>.</summary>
    public T Current => _current;

    /// <summary>The buffer the reloading loop fills next.</summary>
    public T Spare { get; private set; }

    /// <summary>How many have been published (0: none yet).</summary>
    public long Version => Volatile.Read(ref _version);

    /// <summary>Makes <see cref="Spare"/> the current one; <paramref name="alsoUnderLock"/> runs in the same lock first.</summary>
    public void Publish(Action<T>? alsoUnderLock = null)
    {
        TaskCompletionSource published;
        lock (Lock)
        {
            alsoUnderLock?.Invoke(Spare);
            (_current, Spare) = (Spare, _current);
            _version++;
            published = _next;
            _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        published.SetResult();
    }

    /// <summary>Waits until one newer than version <paramref name="seen"/> is published.</summary>
    public async Task WaitNewerAsync(long seen, CancellationToken stop)
    {
        while (true)
        {
            Task next;
            lock (Lock)
            {
                if (_version > seen)
                {
                    return;
                }
                next = _next.Task;
            }
            await next.WaitAsync(stop).ConfigureAwait(false);
        }
    }
}
