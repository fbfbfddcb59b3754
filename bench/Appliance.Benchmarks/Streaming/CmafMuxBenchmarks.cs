using BenchmarkDotNet.Attributes;

namespace Appliance.Benchmarks.Streaming;

/// <summary>
/// One 20 KB frame into a stream's CMAF packager, in steady state: parsed, held, and written into
/// its part's fMP4 fragment when the part closes (every 5 or 6 frames), the part appended to the
/// segment's memfd, the segment sealed every 50 frames. Allocation per frame is the part's and
/// segment's records and the snapshot rebuilt per part, divided among the part's frames; the
/// frame itself allocates nothing (the waiter and packager tests check both).
/// </summary>
[MemoryDiagnoser]
public class CmafMuxBenchmarks
{
    private CmafFixture _fixture = null!;

    [GlobalSetup]
    public void Setup()
    {
        _fixture = new CmafFixture();
        // A full window and warm pools: steady state.
        for (var i = 0; i < 25 * 30; i++)
        {
            _fixture.FeedFrame();
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _fixture.End();

    // A segment's frames per invocation, reported per frame, so the parts' and the segment's
    // allocations divide evenly.
    [Benchmark(OperationsPerInvoke = CmafFixture.FramesPerSegment)]
    public void OneFrame()
    {
        for (var i = 0; i < CmafFixture.FramesPerSegment; i++)
        {
            _fixture.FeedFrame();
        }
    }
}
