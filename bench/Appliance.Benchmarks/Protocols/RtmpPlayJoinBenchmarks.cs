using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using Appliance.Benchmarks.Streaming;
using Appliance.Codecs.Amf0;
using Appliance.Core.Buffers;
using Appliance.Core.Connections;
using Appliance.Node.Config;
using Appliance.Node.Hosting;
using Appliance.Node.Rtmp;
using Appliance.Node.Sessions;
using Appliance.Protocols.Rtmp;
using Appliance.Streaming.Media;
using Appliance.Streaming.Streams;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;

namespace Appliance.Benchmarks.Protocols;

/// <summary>
/// One RTMP player's join, server side, as the daemon runs it: the node's RTMP session over an
/// in-memory connection takes C0+C1 (answers S0 S1 S2), C2 and connect, Window Ack Size, Set Chunk
/// Size and createStream, play and Set Buffer Length (what appliance-load's players send, in the
/// same four writes), and the operation ends when the join burst (sequence headers and the cached
/// keyframe) has been written to the connection. The viewers stay (they are what 1,000 joins leave
/// in the heap) and leave after each iteration.
/// </summary>
/// <remarks>
/// Allocated bytes per operation are what one join costs the managed heap, live and garbage
/// together, on every thread (the figure behind perf/memory.sh's "allocated"); the connection's pipe
/// is made before the operation and is not counted. The stream's app has the embedded defaults.
/// </remarks>
[MemoryDiagnoser]
[InvocationCount(Joins)]
public class RtmpPlayJoinBenchmarks
{
    private const int Joins = 200;
    private const int KeyFrameBytes = 20 * 1024;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly BenchSource _source = new();
    private readonly List<JoinConnection> _connections = [];
    private readonly List<Task> _runs = [];
    private SessionTable _sessions = null!;
    private ServerContext _context = null!;
    private byte[][] _writes = [];
    private long _joinBytes;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var config = new ApplianceConfig();
        _sessions = new SessionTable();
        _context = new ServerContext(config, new StreamRegistry(new FrameSerializer(config.Rtmp.ChunkSize)), _sessions, NullLoggerFactory.Instance);
        var key = new StreamKey("default", "live", "bench");
        if (_context.Streams.TryPublish(key, config.Domains[0].Apps[0], _source, out var stream) != PublishOutcome.Started)
        {
            throw new InvalidOperationException("Could not publish the benchmark stream.");
        }
        stream.Publish(_source, MediaFrame.Create(FrameKind.Video, 0, FrameFlags.SequenceHeader | FrameFlags.KeyFrame,
            SharedBuffer.CopyOf([0x17, 0x00, 0, 0, 0, 0x01, 0x64, 0x00, 0x1F, 0xFF, 0xE1, 0x00, 0x00, 0x01, 0x00, 0x00])));
        stream.Publish(_source, MediaFrame.Create(FrameKind.Audio, 0, FrameFlags.SequenceHeader, SharedBuffer.CopyOf([0xAF, 0x00, 0x11, 0x90])));
        var keyFrame = new byte[KeyFrameBytes];
        keyFrame.AsSpan().Fill(0x5A);
        (keyFrame[0], keyFrame[1]) = (0x17, 1);
        stream.Publish(_source, MediaFrame.Create(FrameKind.Video, 40, FrameFlags.KeyFrame, SharedBuffer.CopyOf(keyFrame)));
        _writes = PlayerWrites("bench");

        // One join to learn how many bytes a complete join writes (it ends with the keyframe's last chunk).
        var first = new JoinConnection();
        var run = new RtmpServerSession(first, _context).RunAsync();
        foreach (var write in _writes)
        {
            first.Send(write);
        }
        first.WaitForQuiet(minimum: KeyFrameBytes);
        _joinBytes = first.Output.Bytes;
        first.Close();
        run.Wait(Timeout);
    }

    [IterationSetup]
    public void MakeConnections()
    {
        _next = 0;
        for (var i = 0; i < Joins; i++)
        {
            _connections.Add(new JoinConnection());
        }
    }

    [Benchmark]
    public long JoinRtmpPlayer()
    {
        var connection = _connections[_next++];
        _runs.Add(new RtmpServerSession(connection, _context).RunAsync());
        foreach (var write in _writes)
        {
            connection.Send(write);
        }
        connection.WaitForBytes(_joinBytes);
        return connection.Output.Bytes;
    }

    [IterationCleanup]
    public void LeaveAll()
    {
        foreach (var connection in _connections)
        {
            connection.Close();
        }
        Task.WaitAll([.. _runs], Timeout);
        _connections.Clear();
        _runs.Clear();
    }

    [GlobalCleanup]
    public void Cleanup() => _sessions.Dispose();

    /// <summary>A player's four writes: C0+C1; C2 and connect; acknowledgement window, chunk size and createStream; play and buffer length.</summary>
    private static byte[][] PlayerWrites(string streamName)
    {
        var hello = new byte[RtmpHandshake.ClientHelloSize];
        RtmpHandshake.WriteClientHello(hello);

        var connect = new ArrayBufferWriter<byte>();
        connect.Write(new byte[RtmpHandshake.PacketSize]);
        Command(connect, RtmpCommand.ChunkStreamId, 0, "connect", 1, Amf0Value.Object(
            Amf0Value.Prop("app", "live"),
            Amf0Value.Prop("type", "nonprivate"),
            Amf0Value.Prop("flashVer", RtmpClient.FlashVersion),
            Amf0Value.Prop("tcUrl", "rtmp://127.0.0.1:1935/live"),
            Amf0Value.Prop("fpad", false),
            Amf0Value.Prop("capabilities", 15),
            Amf0Value.Prop("audioCodecs", 3191),
            Amf0Value.Prop("videoCodecs", 252),
            Amf0Value.Prop("videoFunction", 1)));

        var createStream = new ArrayBufferWriter<byte>();
        var control = createStream.GetSpan(2 * RtmpControl.MaxControlLength);
        var length = RtmpControl.WriteWindowAckSize(control, 2_500_000);
        length += RtmpControl.WriteSetChunkSize(control[length..], RtmpChunkReader.DefaultChunkSize);
        createStream.Advance(length);
        Command(createStream, RtmpCommand.ChunkStreamId, 0, "createStream", 2, null);

        var play = new ArrayBufferWriter<byte>();
        Command(play, 8, 1, "play", 3, null, Amf0Value.FromString(streamName), Amf0Value.FromNumber(-2000));
        play.Advance(RtmpControl.WriteSetBufferLength(play.GetSpan(RtmpControl.MaxControlLength), 1, 1000));

        return [hello, connect.WrittenSpan.ToArray(), createStream.WrittenSpan.ToArray(), play.WrittenSpan.ToArray()];
    }

    private static void Command(ArrayBufferWriter<byte> output, int chunkStream, uint streamId, string name, double transaction,
        Amf0Value? commandObject, params Amf0Value[] args)
    {
        var payload = RtmpCommand.Encode(name, transaction, commandObject, args);
        var span = output.GetSpan(RtmpChunkWriter.MaxLength(payload.Length, RtmpChunkReader.DefaultChunkSize, chunkStream));
        output.Advance(RtmpChunkWriter.Write(span, chunkStream, 0, RtmpMessageType.CommandAmf0, streamId, payload, RtmpChunkReader.DefaultChunkSize));
    }

    /// <summary>
    /// A connection whose input the benchmark writes (the session's read loop runs on the writing
    /// thread) and whose output is counted and dropped.
    /// </summary>
    private sealed class JoinConnection : IConnection
    {
        private static readonly PipeOptions Options = new(readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline,
            pauseWriterThreshold: 0, resumeWriterThreshold: 0, useSynchronizationContext: false);

        private readonly Pipe _input = new(Options);
        private int _aborted;

        public PipeReader Input => _input.Reader;

        public JoinSink Output { get; } = new();

        IGatherSink IConnection.Output => Output;

        public IPEndPoint? RemoteEndPoint { get; } = new(IPAddress.Loopback, 40000);

        public bool IsAborted => Volatile.Read(ref _aborted) != 0;

        public void Abort()
        {
            if (Interlocked.Exchange(ref _aborted, 1) == 0)
            {
                _input.Reader.CancelPendingRead();
            }
        }

        public void Send(ReadOnlySpan<byte> bytes)
        {
            _input.Writer.Write(bytes);
            var flush = _input.Writer.FlushAsync();
            if (!flush.IsCompleted)
            {
                flush.AsTask().Wait(Timeout);
            }
        }

        public void Close() => _input.Writer.Complete();

        public void WaitForBytes(long bytes)
        {
            var spin = new SpinWait();
            var deadline = Environment.TickCount64 + (long)Timeout.TotalMilliseconds;
            while (Output.Bytes < bytes)
            {
                if (Environment.TickCount64 > deadline)
                {
                    throw new TimeoutException($"The join wrote {Output.Bytes} of {bytes} bytes.");
                }
                spin.SpinOnce();
            }
        }

        /// <summary>Setup only: waits until at least <paramref name="minimum"/> bytes went out and no more came for 200 ms.</summary>
        public void WaitForQuiet(long minimum)
        {
            WaitForBytes(minimum);
            var last = -1L;
            while (Output.Bytes != last)
            {
                last = Output.Bytes;
                Thread.Sleep(200);
            }
        }
    }

    /// <summary>Counts what the session writes; every write completes at once.</summary>
    private sealed class JoinSink : IGatherSink
    {
        private long _bytes;

        public long Bytes => Interlocked.Read(ref _bytes);

        public ValueTask WriteAsync(ReadOnlyMemory<BufferSlice> slices, CancellationToken cancellationToken)
        {
            long bytes = 0;
            foreach (var slice in slices.Span)
            {
                bytes += slice.Length;
            }
            Interlocked.Add(ref _bytes, bytes);
            return ValueTask.CompletedTask;
        }
    }
}
