using Appliance.Benchmarks.Gates;
using Appliance.Streaming.Fanout;
using Appliance.Streaming.Media;
using BenchmarkDotNet.Attributes;

namespace Appliance.Benchmarks.Streaming;

/// <summary>
/// The fan-out core without threads: publish one 20 KB frame, then for every viewer collect what it
/// has not been sent into a batch (as its writer does before the gather write) and release the
/// batch (as the writer does after it). Time and allocation are per published frame; comparing
/// Viewers = 1 with Viewers = 1000 gives the per-viewer cost, whose allocation must be 0 B.
/// </summary>
[MemoryDiagnoser]
[AllocationIndependentOf(nameof(Viewers))]
public class FanoutCollectBenchmarks
{
    private readonly OutputBatch _batch = new();
    private FanoutFixture _fixture = null!;

    [Params(1, 1000)]
    public int Viewers { get; set; }

    [Params(WireFormat.Flv, WireFormat.Rtmp)]
    public WireFormat Format { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _fixture = new FanoutFixture(Viewers, Format);
        // Send every viewer its headers and fill the log past a GOP so the run measures steady state.
        for (var i = 0; i < 120; i++)
        {
            PublishAndCollect();
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _fixture.End();

    [Benchmark]
    public long PublishAndCollect()
    {
        _fixture.PublishFrame();
        long bytes = 0;
        foreach (var subscription in _fixture.Subscriptions)
        {
            _fixture.Stream.Collect(subscription, _batch);
            bytes += _batch.Bytes;
            _batch.ReleaseAll();
        }
        return bytes;
    }
}
