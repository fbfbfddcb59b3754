using Appliance.Load.Viewers.Counting;

namespace Appliance.Load.Tests.Counting;

/// <summary>What a counter reported, as (type, timestamp, length, stream id, first bytes) lines to compare.</summary>
internal sealed class RecordingSink : IRtmpCountSink
{
    public List<string> Messages { get; } = [];

    public void OnMedia(byte typeId, uint timestamp, int length, ReadOnlySpan<byte> head) =>
        Messages.Add($"media {typeId} t={timestamp} n={length} head={Convert.ToHexString(head[..Math.Min(head.Length, 5)])}");

    public void OnMessage(byte typeId, uint streamId, ReadOnlySpan<byte> payload) =>
        Messages.Add($"message {typeId} s={streamId} n={payload.Length} {Convert.ToHexString(payload)}");
}
