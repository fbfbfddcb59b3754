using Appliance.Benchmarks.Gates;
using System.Buffers;
using Appliance.Protocols.Rtmp;
using BenchmarkDotNet.Attributes;

namespace Appliance.Benchmarks.Protocols;

/// <summary>
/// Reassembling ingest: 200 video messages of about 20 KB, split into chunks of the peer's size
/// and delivered in 16 KB segments like a socket pipe. Results are per message; steady state
/// should allocate nothing (payloads come from the buffer pool and go back to it).
/// </summary>
[MemoryDiagnoser]
[ZeroAllocation]
public class RtmpChunkReaderBenchmarks
{
    private const int Messages = 200;
    private const int MessageSize = 20 * 1024;
    private const int SegmentSize = 16 * 1024;

    private readonly RtmpChunkReader _reader = new();
    private ReadOnlySequence<byte> _input;

    [Params(128, 4096)]
    public int ChunkSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _input = RtmpChunkStreamBuilder.Segmented(RtmpChunkStreamBuilder.VideoMessages(Messages, MessageSize, ChunkSize), SegmentSize);
        _reader.ChunkSize = ChunkSize;
        // One pass to create the chunk stream state and fill the buffer pool.
        ReadAll();
    }

    /// <summary>The run starts with a type-0 header, so the same reader can read it again and again.</summary>
    [Benchmark(OperationsPerInvoke = Messages)]
    public long ReadVideoMessage() => ReadAll();

    private long ReadAll()
    {
        var reader = new SequenceReader<byte>(_input);
        long bytes = 0;
        while (_reader.TryReadMessage(ref reader, out var message))
        {
            bytes += message.Payload.Length;
            message.Payload.Release();
        }
        return bytes;
    }
}
