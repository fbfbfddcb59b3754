using Appliance.Benchmarks.Gates;
using Appliance.Streaming.Media;
using BenchmarkDotNet.Attributes;

namespace Appliance.Benchmarks.Streaming;

/// <summary>
/// The real send loops: every viewer's <c>ConnectionWriter.RunAsync</c> runs on the thread pool over
/// a sink that completes at once. One operation publishes one 20 KB frame (flush interval 0, so the
/// publisher wakes every writer) and waits until every writer has made its gather write. Includes
/// the wake-ups and thread-pool hops a server pays; allocation counts every thread, and must not
/// grow with Viewers.
/// </summary>
[MemoryDiagnoser]
[AllocationIndependentOf(nameof(Viewers))]
public class FanoutWriterBenchmarks
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private FanoutFixture _fixture = null!;
    private Task<string>[] _loops = [];

    [Params(1, 1000)]
    public int Viewers { get; set; }

    [Params(WireFormat.Flv, WireFormat.Rtmp)]
    public WireFormat Format { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _fixture = new FanoutFixture(Viewers, Format);
        // Every writer was woken by Subscribe and writes the headers (and any GOP) once.
        _fixture.Counter.Expect(Viewers);
        _loops = Array.ConvertAll(_fixture.Writers, writer => writer.RunAsync());
        if (!_fixture.Counter.Wait(Timeout))
        {
            throw new TimeoutException("The writers did not send the stream headers.");
        }
        for (var i = 0; i < 120; i++)
        {
            PublishAndFlush();
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var writer in _fixture.Writers)
        {
            writer.Close("benchmark over");
        }
        Task.WaitAll(_loops, Timeout);
        _fixture.End();
    }

    [Benchmark]
    public long PublishAndFlush()
    {
        _fixture.Counter.Expect(Viewers);
        _fixture.PublishFrame();
        if (!_fixture.Counter.Wait(Timeout))
        {
            throw new TimeoutException($"Only {_fixture.Counter.Writes} writes happened.");
        }
        return _fixture.Counter.Writes;
    }
}
