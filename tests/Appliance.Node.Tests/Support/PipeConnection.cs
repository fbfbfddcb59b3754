using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using Appliance.Core.Buffers;
using Appliance.Core.Connections;
using Appliance.Tests.Support;

namespace Appliance.Node.Tests.Support;

/// <summary>
/// An in-memory connection: the test writes into <see cref="ClientInput"/> what the server reads
/// from <see cref="Input"/>, and reads from <see cref="ServerOutput"/> what the server wrote to
/// <see cref="Output"/>. <see cref="Abort"/> fails the server's reads and ends the output.
/// </summary>
internal sealed class PipeConnection : IConnection
{
    // No back-pressure: a test that stops reading must never block the server under test.
    private static readonly PipeOptions Unbounded = new(pauseWriterThreshold: 0, resumeWriterThreshold: 0, useSynchronizationContext: false);

    private readonly Pipe _toServer = new(Unbounded);
    private readonly Pipe _toClient = new(Unbounded);
    private readonly AbortableReader _input;
    private readonly Sink _sink;
    private int _aborted;

    /// <param name="client">The client's address (loopback unless a test needs another).</param>
    public PipeConnection(IPAddress? client = null)
        : this(new IPEndPoint(client ?? IPAddress.Loopback, 40000))
    {
    }

    /// <param name="remote">The peer's address and port as the server sees it.</param>
    public PipeConnection(IPEndPoint remote)
    {
        RemoteEndPoint = remote;
        _input = new AbortableReader(_toServer.Reader);
        _sink = new Sink(this);
    }

    public PipeReader Input => _input;

    /// <summary>Whether the server may read without the pipe once it only plays, as on a plain socket (true), or not, as over TLS.</summary>
    public bool OffersRawInput { get; init; } = true;

    /// <summary>The raw input the server took, if it took one.</summary>
    public PipeRawInput? RawInput { get; private set; }

    public bool HasRawInput => OffersRawInput;

    public IRawInput? TakeRawInput()
    {
        if (!OffersRawInput)
        {
            return null;
        }
        Assert.Null(RawInput);
        return RawInput = new PipeRawInput(_input);
    }

    public IGatherSink Output => _sink;

    public IPEndPoint? RemoteEndPoint { get; }

    public bool IsAborted => Volatile.Read(ref _aborted) != 0;

    /// <summary>Gather writes the server made.</summary>
    public int OutputWrites => _sink.Writes;

    /// <summary>What the server wrote; completes when the connection is aborted.</summary>
    public PipeReader ServerOutput => _toClient.Reader;

    /// <summary>Where the test writes what the server reads.</summary>
    public PipeWriter ClientInput => _toServer.Writer;

    public void Abort()
    {
        if (Interlocked.Exchange(ref _aborted, 1) != 0)
        {
            return;
        }
        _input.Abort();
        _ = _sink.CompleteAsync();
    }

    public async Task SendAsync(ReadOnlyMemory<byte> bytes)
    {
        await _toServer.Writer.WriteAsync(bytes).ConfigureAwait(false);
    }

    public Task SendAsync(string latin1) => SendAsync(System.Text.Encoding.Latin1.GetBytes(latin1));

    /// <summary>The peer closes its sending side: the server reads end of stream.</summary>
    public void CloseInput() => _toServer.Writer.Complete();

    /// <summary>The client's view as a stream (reads what the server wrote, writes what it reads), for RtmpClient.</summary>
    /// <summary>The server's writes wait from now until <see cref="ReleaseWrites"/>: a peer that stopped reading.</summary>
    public Task HoldWritesAsync() => _sink.HoldAsync();

    public void ReleaseWrites() => _sink.Release();

    public Stream ClientStream() => new DuplexStream(_toClient.Reader.AsStream(), _toServer.Writer.AsStream());

    private sealed class Sink(PipeConnection owner) : IGatherSink
    {
        private readonly SemaphoreSlim _gate = new(1, 1);
        private int _writes;

        public int Writes => Volatile.Read(ref _writes);

        /// <summary>Each gather write stands for one system call, as on a socket that takes it whole.</summary>
        public long Syscalls => Writes;

        public async ValueTask WriteAsync(ReadOnlyMemory<BufferSlice> slices, CancellationToken cancellationToken)
        {
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (owner.IsAborted)
                {
                    throw new IOException("connection aborted");
                }
                Copy(slices, owner._toClient.Writer);
                Interlocked.Increment(ref _writes);
                var flushed = await owner._toClient.Writer.FlushAsync(cancellationToken).ConfigureAwait(false);
                if (flushed.IsCompleted)
                {
                    throw new IOException("peer closed");
                }
            }
            finally
            {
                _gate.Release();
            }
        }

        public Task HoldAsync() => _gate.WaitAsync();

        public void Release() => _gate.Release();

        public async Task CompleteAsync()
        {
            await _gate.WaitAsync().ConfigureAwait(false);
            try
            {
                await owner._toClient.Writer.CompleteAsync().ConfigureAwait(false);
            }
            finally
            {
                _gate.Release();
            }
        }

        private static void Copy(ReadOnlyMemory<BufferSlice> slices, PipeWriter writer)
        {
            foreach (var slice in slices.Span)
            {
                writer.Write(slice.Span);
            }
        }
    }
}
