using Appliance.Streaming.Streams;

namespace Appliance.Benchmarks.Streaming;

/// <summary>A source that is never kicked: the benchmark is the publisher.</summary>
internal sealed class BenchSource : IStreamSource
{
    public string Description => "benchmark";

    public void Kick(string reason)
    {
    }
}
