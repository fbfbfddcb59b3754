namespace Appliance.Transport.Uring;

/// <summary>
/// The operations the kernel holds (taken by an enter, last completion not yet reaped), so a
/// stopping ring can cancel each: a send to a peer that never reads waits in the kernel's poll
/// for ever otherwise. Owned by the ring's thread; intrusive, so tracking a send allocates nothing.
/// </summary>
internal sealed class HeldOperations
{
    private UringOperation? _first;
    private int _count;

    /// <summary>Any thread may read it (tests wait on it); only the ring's thread changes it.</summary>
    public int Count => Volatile.Read(ref _count);

    public void Add(UringOperation operation)
    {
        if (operation.Held)
        {
            return;
        }
        operation.Held = true;
        operation.HeldPrevious = null;
        operation.HeldNext = _first;
        if (_first is not null)
        {
            _first.HeldPrevious = operation;
        }
        _first = operation;
        Volatile.Write(ref _count, _count + 1);
    }

    /// <summary>Nothing happens for one that is not held (it ended before the kernel took it).</summary>
    public void Remove(UringOperation operation)
    {
        if (!operation.Held)
        {
            return;
        }
        operation.Held = false;
        if (operation.HeldPrevious is null)
        {
            _first = operation.HeldNext;
        }
        else
        {
            operation.HeldPrevious.HeldNext = operation.HeldNext;
        }
        if (operation.HeldNext is not null)
        {
            operation.HeldNext.HeldPrevious = operation.HeldPrevious;
        }
        operation.HeldPrevious = null;
        operation.HeldNext = null;
        Volatile.Write(ref _count, _count - 1);
    }

    public void ForEach(Action<UringOperation> action)
    {
        for (var operation = _first; operation is not null; operation = operation.HeldNext)
        {
            action(operation);
        }
    }
}
