using Appliance.Live.Streams;

namespace Appliance.Live.Tests.Support;

/// <summary>A stream source that records being kicked.</summary>
internal sealed class TestSource(string description = "test source") : IStreamSource
{
    private string? _kickReason;

    public string Description => description;

    public string? KickReason => Volatile.Read(ref _kickReason);

    public void Kick(string reason) => Interlocked.CompareExchange(ref _kickReason, reason, null);
}
