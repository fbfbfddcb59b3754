using Appliance.Auth.Tokens;
using Appliance.Auth;
using Appliance.Streaming.Streams;

namespace Appliance.Node.Hosting;

/// <summary>One live stream in a <see cref="NodeStatus"/>.</summary>
public readonly record struct StreamStatus(string Key, ViewerCounts Viewers, long IngestBitsPerSecond, double IngestFramesPerSecond);

/// <summary>Connections and bytes per listener, indexed as <see cref="Transport.Accounting.TrafficTotals.Listeners"/>; bytes include open connections.</summary>
public sealed record TrafficStatus(IReadOnlyList<long> Accepted, IReadOnlyList<long> Refused, IReadOnlyList<long> BytesIn, IReadOnlyList<long> BytesOut);

public sealed record SegmentCacheStatus(long Segments, long Bytes, long MaxBytes, long Hits, long Misses, long Evictions);

/// <summary>Access-policy decisions: allowed, and refused by reason (every reason, zeros included).</summary>
public sealed record AuthStatus(long Allowed, IReadOnlyList<(AuthRefusal Reason, long Count)> Refusals)
{
    public long Refused => Refusals.Sum(r => r.Count);
}

/// <summary>The stream directory: whether its Redis answers, where it is, what it holds for this node.</summary>
public sealed record DirectoryStatus(bool Up, string Redis, int Registered);

public sealed record MemoryStatus(long RssBytes, long ManagedHeapBytes, long ManagedCommittedBytes, long AllocatedBytes, long NativeBuffersOutstanding);

/// <summary>The runtime: collections by generation (index = generation), GC pauses, the thread pool.</summary>
public sealed record RuntimeStatus(IReadOnlyList<int> Collections, TimeSpan GcPause, int ThreadPoolThreads, long ThreadPoolQueue, long ThreadPoolCompleted);

/// <summary>The process as the OS sees it; open descriptors are null where /proc is not there.</summary>
public sealed record ProcessStatus(int Threads, double CpuSeconds, long StartTimeUnixSeconds, int? OpenFds);

/// <summary>The socket writer in use ("epoll" or "io_uring") and, for io_uring, its enters and submitted entries.</summary>
public sealed record TransportStatus(string Send, long RingEnters, long RingSubmitted, long RingCompleted);
