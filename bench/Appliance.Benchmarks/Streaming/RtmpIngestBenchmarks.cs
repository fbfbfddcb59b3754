using Appliance.Node.Hosting;
using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using Appliance.Benchmarks.Protocols;
using Appliance.Codecs.Amf0;
using Appliance.Core.Connections;
using Appliance.Node.Config;
using Appliance.Node.Rtmp;
using Appliance.Node.Server;
using Appliance.Node.Sessions;
using Appliance.Protocols.Rtmp;
using Appliance.Streaming.Media;
using Appliance.Streaming.Streams;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;

namespace Appliance.Benchmarks.Streaming;

/// <summary>
/// The server's ingest path as a publisher drives it: the real RTMP server session, over an
/// in-memory connection, reassembles 200 video messages of about 20 KB from the chunk stream and
/// hands them to the stream (no viewers). Results are per message and include the pipe and the
/// thread-pool hop to the session's read loop; allocation counts every thread.
/// </summary>
[MemoryDiagnoser]
public class RtmpIngestBenchmarks
{
    private const int Messages = 200;
    private const int MessageSize = 20 * 1024;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    // Blocks of its own, so the pipe's buffers (4 MB a run) do not show up as the session's allocation.
    private readonly Pipe _toServer = new(new PipeOptions(new BlockPool(), pauseWriterThreshold: 0, resumeWriterThreshold: 0,
        minimumSegmentSize: BlockPool.BlockSize, useSynchronizationContext: false));
    private SessionTable _sessions = null!;
    private Task _run = null!;
    private LiveStream _stream = null!;
    private byte[] _messages = [];

    [Params(128, 4096)]
    public int ChunkSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var config = new ApplianceConfig();
        // BenchmarkDotNet pauses between phases; the publisher must not be taken for idle.
        config.Deadlines.IdleMs = 24 * 3600 * 1000;
        _sessions = new SessionTable();
        var context = new ServerContext(config, new StreamRegistry(new FrameSerializer(config.Rtmp.ChunkSize)), _sessions, NullLoggerFactory.Instance);
        var connection = new BenchConnection(_toServer.Reader);
        _run = Task.Run(new RtmpServerSession(connection, context).RunAsync);

        Send(Opening(ChunkSize));
        var key = new StreamKey("default", "live", "bench");
        _stream = WaitFor(() => context.Streams.FindForPlay(key), "the publish");
        // Every message of a run has a type-1 header (a delta), so the same bytes go on forever.
        _messages = RtmpChunkStreamBuilder.VideoMessages(Messages + 1, MessageSize, ChunkSize)[FirstMessageLength(ChunkSize)..];
        SendAndWait();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _toServer.Writer.Complete();
        _run.Wait(Timeout);
        _sessions.Dispose();
    }

    [Benchmark(OperationsPerInvoke = Messages)]
    public long IngestVideoMessage() => SendAndWait();

    private long SendAndWait()
    {
        var target = _stream.Stats.Frames + Messages;
        Send(_messages);
        var spin = new SpinWait();
        var deadline = Environment.TickCount64 + (long)Timeout.TotalMilliseconds;
        while (_stream.Stats.Frames < target)
        {
            if (Environment.TickCount64 > deadline)
            {
                throw new TimeoutException($"The session took {_stream.Stats.Frames} of {target} frames.");
            }
            spin.SpinOnce();
        }
        return target;
    }

    private void Send(ReadOnlySpan<byte> bytes)
    {
        _toServer.Writer.Write(bytes);
        _toServer.Writer.FlushAsync().AsTask().Wait(Timeout);
    }

    /// <summary>Handshake, connect, createStream, publish, the AVC sequence header, and a Set Chunk Size.</summary>
    private static byte[] Opening(int chunkSize)
    {
        var output = new ArrayBufferWriter<byte>();
        var hello = output.GetSpan(RtmpHandshake.ClientHelloSize + RtmpHandshake.PacketSize);
        RtmpHandshake.WriteClientHello(hello);
        output.Advance(RtmpHandshake.ClientHelloSize + RtmpHandshake.PacketSize);
        Write(output, RtmpCommand.ChunkStreamId, 0, RtmpMessageType.CommandAmf0, 0, RtmpCommand.Encode("connect", 1,
            Amf0Value.Object(Amf0Value.Prop("app", "live"), Amf0Value.Prop("tcUrl", "rtmp://localhost/live"))));
        Write(output, RtmpCommand.ChunkStreamId, 0, RtmpMessageType.CommandAmf0, 0, RtmpCommand.Encode("createStream", 2, null));
        Write(output, 8, 0, RtmpMessageType.CommandAmf0, 1, RtmpCommand.Encode("publish", 3, null, Amf0Value.FromString("bench"), Amf0Value.FromString("live")));
        Write(output, RtmpChunkStreamBuilder.VideoChunkStream, 0, RtmpMessageType.Video, 1,
            [0x17, 0x00, 0, 0, 0, 0x01, 0x64, 0x00, 0x1F, 0xFF, 0xE1, 0x00, 0x00, 0x01, 0x00, 0x00]);
        var control = output.GetSpan(RtmpControl.MaxControlLength);
        output.Advance(RtmpControl.WriteSetChunkSize(control, chunkSize));
        // The builder's first message: a type-0 header that sets the chunk stream's state.
        output.Write(RtmpChunkStreamBuilder.VideoMessages(1, MessageSize, chunkSize).AsSpan(0, FirstMessageLength(chunkSize)));
        return output.WrittenSpan.ToArray();
    }

    private static int FirstMessageLength(int chunkSize) => RtmpChunkStreamBuilder.VideoMessages(1, MessageSize, chunkSize).Length;

    private static void Write(ArrayBufferWriter<byte> output, int chunkStream, uint timestamp, byte type, uint streamId, ReadOnlySpan<byte> payload)
    {
        var span = output.GetSpan(RtmpChunkWriter.MaxLength(payload.Length, RtmpChunkReader.DefaultChunkSize, chunkStream));
        output.Advance(RtmpChunkWriter.Write(span, chunkStream, timestamp, type, streamId, payload, RtmpChunkReader.DefaultChunkSize));
    }

    private static T WaitFor<T>(Func<T?> probe, string what)
        where T : class
    {
        var deadline = Environment.TickCount64 + (long)Timeout.TotalMilliseconds;
        while (true)
        {
            if (probe() is { } found)
            {
                return found;
            }
            if (Environment.TickCount64 > deadline)
            {
                throw new TimeoutException($"No {what}.");
            }
            Thread.Sleep(1);
        }
    }

    /// <summary>A connection whose input the benchmark writes and whose output is counted and dropped.</summary>
    private sealed class BenchConnection(PipeReader input) : IConnection
    {
        private int _aborted;

        public PipeReader Input => input;

        public IGatherSink Output { get; } = new CountingSink(new WriteCounter());

        public IPEndPoint? RemoteEndPoint { get; } = new(IPAddress.Loopback, 40000);

        public bool IsAborted => Volatile.Read(ref _aborted) != 0;

        public void Abort()
        {
            if (Interlocked.Exchange(ref _aborted, 1) == 0)
            {
                input.CancelPendingRead();
            }
        }
    }

    /// <summary>Fixed blocks kept for reuse whichever thread returns them (ArrayPool's per-core stacks are too small for a 4 MB run).</summary>
    private sealed class BlockPool : MemoryPool<byte>
    {
        public const int BlockSize = 64 * 1024;

        private readonly System.Collections.Concurrent.ConcurrentQueue<Block> _free = new();

        public override int MaxBufferSize => BlockSize;

        public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
        {
            if (minBufferSize > BlockSize)
            {
                throw new ArgumentOutOfRangeException(nameof(minBufferSize));
            }
            return _free.TryDequeue(out var block) ? block : new Block(this);
        }

        protected override void Dispose(bool disposing)
        {
        }

        private sealed class Block(BlockPool pool) : IMemoryOwner<byte>
        {
            private readonly byte[] _array = new byte[BlockSize];

            public Memory<byte> Memory => _array;

            public void Dispose() => pool._free.Enqueue(this);
        }
    }
}
