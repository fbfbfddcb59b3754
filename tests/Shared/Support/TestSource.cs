using Appliance.Streaming.Streams;

namespace Appliance.Tests.Support;

/// <summary>
/// A stream source that records being kicked; <paramref name="relays"/> makes it one that relays
/// another node's timeline, <paramref name="transcoded"/> one that re-encodes a stream of this node (a ladder's rung).
/// </summary>
internal sealed class TestSource(string description = "test source", bool relays = false, bool transcoded = false) : IStreamSource
{
    private string? _kickReason;

    public string Description => description;

    public bool RelaysTimeline => relays;

    public bool IsTranscoded => transcoded;

    public string? KickReason => Volatile.Read(ref _kickReason);

    public void Kick(string reason) => Interlocked.CompareExchange(ref _kickReason, reason, null);
}
