using System.IO.Pipelines;
using System.Net;
using System.Runtime.CompilerServices;
using Appliance.Core.Connections;
using Appliance.Transport.Native;

namespace Appliance.Transport.Srt;

/// <summary>
/// One SRT connection in live mode, seen as a byte stream like a TCP connection: received messages
/// go into <see cref="Input"/> in order (MPEG-TS needs no message boundaries), and what is written
/// to <see cref="Output"/> leaves in messages of the payload size. libsrt's calls block, so a
/// dedicated thread receives; <see cref="Abort"/> closes the socket, which ends it.
/// </summary>
public sealed unsafe class SrtConnection : IConnection
{
    private const int MaxMessage = 1500;

    private readonly Pipe _input = new(new PipeOptions(pauseWriterThreshold: 1024 * 1024, resumeWriterThreshold: 512 * 1024, useSynchronizationContext: false));
    private int _aborted;
    private int _receiving;
    // The figures read just before the close; a box so that readers on other threads see it whole.
    private volatile StrongBox<SrtStats>? _final;

    internal SrtConnection(int socket, IPEndPoint? remote, string streamId, int payloadSize)
    {
        Socket = socket;
        RemoteEndPoint = remote;
        StreamId = streamId;
        Output = new SrtSink(this, payloadSize);
    }

    internal int Socket { get; }

    /// <summary>The stream id the caller sent in its handshake ("" when none).</summary>
    public string StreamId { get; }

    public PipeReader Input
    {
        get
        {
            StartReceiving();
            return _input.Reader;
        }
    }

    public SrtSink Output { get; }

    IGatherSink IConnection.Output => Output;

    public IPEndPoint? RemoteEndPoint { get; }

    public bool IsAborted => Volatile.Read(ref _aborted) != 0;

    /// <summary>
    /// The connection's SRT figures now (RTT, loss, retransmissions); once it is closed, the last
    /// ones read before the close (for the access log line and the metrics' totals).
    /// </summary>
    public SrtStats? Stats() => IsAborted ? _final?.Value : SrtStats.Read(Socket) ?? _final?.Value;

    public void Abort()
    {
        if (Interlocked.Exchange(ref _aborted, 1) == 0)
        {
            // Read while the socket is still there: the close takes its counters with it.
            if (SrtStats.Read(Socket) is { } last)
            {
                _final = new StrongBox<SrtStats>(last);
            }
            LibSrt.Close(Socket);
        }
    }

    // The receive thread starts with the first reader: a connection that only sends (a viewer) still
    // needs it, since that is how the peer's close is noticed.
    private void StartReceiving()
    {
        if (Interlocked.Exchange(ref _receiving, 1) == 0)
        {
            new Thread(Receive) { IsBackground = true, Name = "srt-receive" }.Start();
        }
    }

    private void Receive()
    {
        var writer = _input.Writer;
        Exception? error = null;
        try
        {
            while (!IsAborted)
            {
                var memory = writer.GetMemory(MaxMessage);
                int received;
                fixed (byte* buffer = memory.Span)
                {
                    received = LibSrt.RecvMsg(Socket, buffer, memory.Length);
                }
                if (received < 0)
                {
                    if (SrtSocket.LastError() == SrtSocket.ErrorAsyncReceive && !IsAborted)
                    {
                        continue;
                    }
                    break;
                }
                writer.Advance(received);
                // A dedicated thread may wait: the reader's pace is what keeps the pipe bounded.
                var flush = writer.FlushAsync().AsTask().GetAwaiter().GetResult();
                if (flush.IsCompleted || flush.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException)
        {
            error = ex;
        }
        Abort();
        writer.Complete(error is InvalidOperationException ? null : error);
    }
}
