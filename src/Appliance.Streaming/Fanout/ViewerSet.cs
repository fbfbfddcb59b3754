namespace Appliance.Streaming.Fanout;

/// <summary>
/// A stream's viewers: a growable array with O(1) add and remove (the last one moves into the
/// hole, and each subscription remembers its slot). Copy-on-write would cost every join and leave
/// a copy of the whole set, which at thousands of viewers is most of what a join allocates.
/// Not thread-safe: the owning stream's lock guards it.
/// </summary>
internal sealed class ViewerSet
{
    private Subscription[] _items = new Subscription[4];

    public int Count { get; private set; }

    public Subscription this[int index] => _items[index];

    public void Add(Subscription subscription)
    {
        if (Count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }
        subscription.Slot = Count;
        _items[Count++] = subscription;
    }

    public bool Remove(Subscription subscription)
    {
        var slot = subscription.Slot;
        if (slot < 0 || slot >= Count || !ReferenceEquals(_items[slot], subscription))
        {
            return false;
        }
        var last = _items[--Count];
        _items[slot] = last;
        last.Slot = slot;
        _items[Count] = null!;
        subscription.Slot = -1;
        return true;
    }

    public Subscription[] ToArray() => _items.AsSpan(0, Count).ToArray();
}
