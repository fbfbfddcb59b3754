using Appliance.Benchmarks.Gates;
using Appliance.Codecs.Fmp4;
using Appliance.Streaming.Packaging.Cmaf;
using BenchmarkDotNet.Attributes;

namespace Appliance.Benchmarks.Streaming;

/// <summary>
/// A part completing with N requests held on it (LL-HLS blocking reloads and preload hints):
/// frames until the part exists, then until every held request has been woken on the thread pool
/// and is held again for the next part. Time is from the first frame to the last request re-held;
/// allocation must not grow with the requests (it is the part's own, the same with one request).
/// Results are per part.
/// </summary>
[MemoryDiagnoser]
[AllocationIndependentOf(nameof(Waiters))]
public class CmafPartCompletionBenchmarks
{
    private CmafFixture _fixture = null!;
    private Task[] _held = [];

    [Params(1, 1000)]
    public int Waiters { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _fixture = new CmafFixture();
        for (var i = 0; i < 25 * 30; i++)
        {
            _fixture.FeedFrame();
        }
        _held = [.. Enumerable.Range(0, Waiters).Select(_ => Task.Run(HoldAsync))];
        WaitUntilAllHeld();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _fixture.End();
        Task.WaitAll(_held, TimeSpan.FromSeconds(30));
    }

    // Ten parts (one 2 s segment of 200 ms parts) per invocation, reported per part: every
    // invocation crosses one segment boundary, so the segment's own allocation divides evenly.
    [Benchmark(OperationsPerInvoke = CmafFixture.PartsPerSegment)]
    public void CompletePart()
    {
        for (var i = 0; i < CmafFixture.PartsPerSegment; i++)
        {
            _fixture.FeedUntilPart();
            WaitUntilAllHeld();
        }
    }

    private void WaitUntilAllHeld()
    {
        var spin = new SpinWait();
        while (_fixture.Packager.HeldRequests < Waiters)
        {
            spin.SpinOnce(sleep1Threshold: -1);
        }
    }

    // A player's loop: hold for the part after the newest, again and again, until the stream ends.
    private async Task HoldAsync()
    {
        // Packaging stopped at cleanup: no track any more.
        while (_fixture.Packager.Snapshot.Video is { } track)
        {
            var result = await _fixture.Packager.WaitForPartAsync(Fmp4TrackKind.Video, track.LastPartMsn, track.LastPart + 1);
            if (result != CmafWaitResult.Available)
            {
                return;
            }
        }
    }
}
