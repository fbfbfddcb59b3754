using System.IO.Pipelines;
using System.Net;
using System.Runtime.CompilerServices;
using Appliance.Core.Connections;
using Appliance.Core.Time;
using Appliance.Transport.Native;

namespace Appliance.Transport.Srt;

/// <summary>
/// One SRT connection in live mode, seen as a byte stream like a TCP connection: received messages
/// go into <see cref="Input"/> in order (MPEG-TS needs no message boundaries), and what is written
/// to <see cref="Output"/> leaves in messages of the payload size. libsrt's calls block, so a
/// dedicated thread receives; <see cref="Abort"/> closes the socket, which ends it. The receive
/// thread and the writes also read SRT's figures once a second, so a connection whose peer closed
/// first (libsrt then no longer reports it) still has figures at most that old for its access line
/// and the metrics' totals.
/// </summary>
public sealed unsafe class SrtConnection : IConnection
{
    private const int MaxMessage = 1500;

    /// <summary>How often SRT's figures are read; also the receive timeout, so that a connection receiving nothing (a player's) is read too.</summary>
    internal const int SampleIntervalMs = 1000;

    private readonly Pipe _input = new(new PipeOptions(pauseWriterThreshold: 1024 * 1024, resumeWriterThreshold: 512 * 1024, useSynchronizationContext: false));
    private int _aborted;
    private int _receiving;
    private long _nextSampleMs;
    // The freshest figures read while the socket was there (by the receive thread, every second, and
    // by whoever asks); a box so that readers on other threads see it whole.
    private volatile StrongBox<SrtStats>? _last;
    private int _idleWakes;

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
    /// The connection's SRT figures now (RTT, loss, retransmissions); once libsrt no longer reports
    /// them (closed by either side), the freshest read before (for the access log line and the
    /// metrics' totals): at the close when this side closed, else at most a second before the peer's.
    /// </summary>
    public SrtStats? Stats() => IsAborted ? _last?.Value : Sample() ?? _last?.Value;

    public void Abort()
    {
        if (Interlocked.Exchange(ref _aborted, 1) == 0)
        {
            // Read while the socket is still there: the close takes its counters with it.
            Sample();
            LibSrt.Close(Socket);
        }
    }

    /// <summary>Reads the figures when the last reading is a second old: called by the receive thread and after each write.</summary>
    /// <summary>Receives that ended with nothing to read (the receive timeout) and left the connection open.</summary>
    internal int IdleWakes => Volatile.Read(ref _idleWakes);

    internal void SampleIfDue()
    {
        var now = MonotonicClock.NowMs;
        var due = Volatile.Read(ref _nextSampleMs);
        // One of the two threads takes each due reading.
        if (now >= due && Interlocked.CompareExchange(ref _nextSampleMs, now + SampleIntervalMs, due) == due)
        {
            Sample();
        }
    }

    // Keeps a reading only if its totals have not gone back: a socket being torn down must not
    // replace real figures with reset ones.
    private SrtStats? Sample()
    {
        if (SrtStats.Read(Socket) is not { } now)
        {
            return null;
        }
        if (_last?.Value is { } last && now.PacketsSent + now.PacketsReceived < last.PacketsSent + last.PacketsReceived)
        {
            return last;
        }
        _last = new StrongBox<SrtStats>(now);
        return now;
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
        // Without it a player's receive would wait for ever, and its figures go unread.
        SrtSocket.TrySetInt(Socket, LibSrt.OptRcvTimeo, SampleIntervalMs);
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
                var failure = received < 0 ? SrtSocket.LastError() : 0;
                // After the receive, so that the first reading already counts the first message.
                SampleIfDue();
                if (received < 0)
                {
                    // Nothing to read within the sample interval: the connection is only idle.
                    if (failure is SrtSocket.ErrorAsyncReceive or SrtSocket.ErrorTimeout && !IsAborted)
                    {
                        Interlocked.Increment(ref _idleWakes);
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
