using Appliance.Core.Time;
using Appliance.Streaming.Fanout;
using Appliance.Core.Connections;
using Appliance.Node.Limits;
using Appliance.Node.Logging;
using Appliance.Node.Webhooks;
using Appliance.Streaming.Streams;
using Appliance.Transport.Accounting;

namespace Appliance.Node.Sessions;

/// <summary>
/// What every protocol session shares: its connection and writer, counters for the access log,
/// the deadline state the sweeper checks (so no session needs a timer of its own), and its life
/// from start to the access log line (<see cref="RunAsync"/>); a protocol supplies the read loop.
/// </summary>
public abstract class SessionBase : IConnectionTraffic, IWriterEndListener
{
    private readonly ISessionHost _host;
    private long _lastReceiveMs;
    private long _phaseDeadlineMs;
    private string? _abortReason;
    private SessionWebhooks? _webhooks;
    private ConnectionLimiter? _admission;
    private System.Net.IPAddress? _admittedAddress;

    protected SessionBase(IConnection connection, ISessionHost host)
    {
        _host = host;
        Connection = connection;
        // The session acts on the writer's end from the send loop itself (IWriterEndListener).
        Writer = new ConnectionWriter(connection.Output) { EndListener = this };
        Id = SessionIds.Next();
        StartedMs = MonotonicClock.NowMs;
        _lastReceiveMs = StartedMs;
        Client = connection.RemoteEndPoint?.ToString() ?? "unknown";
    }

    public long Id { get; }

    public IConnection Connection { get; }

    public ConnectionWriter Writer { get; }

    public string Client { get; }

    public long StartedMs { get; }

    public long BytesIn { get; protected set; }

    public abstract string Protocol { get; }

    /// <summary>The listener the session came in on (rtmp, http, admin): the metrics' traffic label.</summary>
    public abstract string Listener { get; }

    /// <summary>The stream the session publishes or plays ("domain/app/name"), or "-".</summary>
    public virtual string StreamPath => "-";

    public long BytesOut => Writer.BytesWritten;

    /// <summary>A connection that watches a live stream (drain waits for these).</summary>
    public bool IsViewer => Protocol is "rtmp-play" or "http-flv" or "http-ts" or "srt-play";

    /// <summary>The reason a deadline or kick ended this session, if one did.</summary>
    public string? AbortReason => Volatile.Read(ref _abortReason);

    /// <summary>The protocol family the logs name ("rtmp", "http"), whatever the session became.</summary>
    protected abstract string Family { get; }

    /// <summary>True when the session ended in error: the peer broke the protocol, it failed inside, or a deadline or kick ended it.</summary>
    protected bool Failed { get; private set; }

    /// <summary>The status column of the session's access log line.</summary>
    protected abstract string AccessStatus { get; }

    /// <summary>
    /// The session from start to end: listed in the session table while it runs, its writer
    /// started, the protocol's <see cref="ReadAsync"/> run, then the end every session shares: the
    /// reason (a kick or deadline first, then why the writer stopped, then the read loop's), a final
    /// reply flushed within a bound, the traffic counted and one access log line. Throws nothing.
    /// </summary>
    public async Task RunAsync()
    {
        // One frame for the whole life (a viewer waits here for hours); the place in the
        // connection limits is given back however the session ends.
        try
        {
            _host.Sessions.Add(this);
            var sendLoop = Writer.RunAsync();
            string reason;
            try
            {
                reason = await ReadAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (IsPeerFault(ex))
            {
                reason = ex.Message;
                Failed = true;
                LiveLog.Rejected(_host.Logger, Family, Client, ex.Message);
            }
            catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or ObjectDisposedException or OperationCanceledException)
            {
                reason = WriterEndReason ?? "connection lost";
            }
            catch (Exception ex)
            {
                reason = "internal error";
                Failed = true;
                LiveLog.SessionFailed(_host.Logger, ex, Family, Client);
            }
            reason = AbortReason ?? WriterEndReason ?? reason;
            if (AbortReason is not null)
            {
                // A deadline or a kick ended the session; the read it interrupted may have ended either way.
                Failed = true;
                LiveLog.Rejected(_host.Logger, AbortLogName, Client, AbortReason);
            }
            OnEnding(reason);
            var writerReason = await FinishAsync(sendLoop, reason).ConfigureAwait(false);
            OnEnded();
            _host.Sessions.Remove(this);
            _host.Traffic.OnFinished(this);
            var accessReason = AccessLogReason(reason, writerReason);
            _host.AccessLog.Write(Protocol, Client, StreamPath, AccessStatus, BytesIn, Writer.BytesWritten,
                (MonotonicClock.NowMs - StartedMs) / 1000.0, accessReason, AccessLogFields);
            AnnounceEnd(accessReason);
        }
        finally
        {
            _admission?.Leave(_admittedAddress);
        }
    }

    /// <summary>
    /// The session holds a place in the connection limits from now on, and gives it back when it
    /// ends (after its access log line), so the server need not wait for it in a frame of its own.
    /// </summary>
    internal void HoldAdmission(ConnectionLimiter limiter, System.Net.IPAddress? address)
    {
        _admission = limiter;
        _admittedAddress = address;
    }

    /// <summary>
    /// The session starts publishing or playing <paramref name="key"/> (its <see cref="Protocol"/>
    /// already says which): the app's webhooks hear <paramref name="startEvent"/> now, and the
    /// matching end event when <see cref="AnnounceEnd"/> is called or the session ends.
    /// </summary>
    protected void AnnounceStart(string startEvent, StreamKey key, string? query) =>
        _webhooks = SessionWebhooks.Start(_host.Webhooks, startEvent, key, Id, Protocol, Client, query);

    /// <summary>Publishing or playing ended (once; later calls do nothing): the end event, with the bytes so far.</summary>
    protected void AnnounceEnd(string reason) =>
        Interlocked.Exchange(ref _webhooks, null)?.End(BytesIn, BytesOut, reason);

    /// <summary>The protocol's read loop; returns why the connection ended.</summary>
    protected abstract Task<string> ReadAsync();

    /// <summary>Whether <paramref name="ex"/> from the read loop means the peer broke the protocol: one log line, and the session ends in error.</summary>
    protected virtual bool IsPeerFault(Exception ex) => false;

    /// <summary>How a deadline or kick names the session in its log line.</summary>
    protected virtual string AbortLogName => Family;

    /// <summary>Before the final flush: leave the stream the session published, queue a last reply.</summary>
    protected virtual void OnEnding(string reason)
    {
    }

    /// <summary>After the writer stopped: return what the session borrowed.</summary>
    protected virtual void OnEnded()
    {
    }

    /// <summary>The protocol's own key=value figures on the access log line (SRT: RTT, loss...); null for none.</summary>
    protected virtual string? AccessLogFields => null;

    /// <summary>The reason on the access log line, given the session's and the writer's.</summary>
    protected virtual string AccessLogReason(string reason, string writerReason) => reason;

    /// <summary>A phase that must end by a deadline (handshake, request head); 0 clears it.</summary>
    protected void SetPhaseDeadline(int timeoutMs) =>
        Interlocked.Exchange(ref _phaseDeadlineMs, timeoutMs <= 0 ? 0 : MonotonicClock.NowMs + timeoutMs);

    protected void MarkReceived() => Interlocked.Exchange(ref _lastReceiveMs, MonotonicClock.NowMs);

    /// <summary>How long this session may receive nothing; 0 = no limit (a viewer that only reads).</summary>
    protected virtual int IdleTimeoutMs => 0;

    protected int SendStallTimeoutMs { get; set; } = 15_000;

    /// <summary>Called by the sweeper; returns why the session must end now, or null.</summary>
    internal string? CheckDeadlines(long nowMs)
    {
        var phase = Interlocked.Read(ref _phaseDeadlineMs);
        if (phase != 0 && nowMs > phase)
        {
            return DeadlineReason;
        }
        var idle = IdleTimeoutMs;
        if (idle > 0 && nowMs - Interlocked.Read(ref _lastReceiveMs) > idle)
        {
            return $"idle: nothing received for {idle} ms";
        }
        var writeStarted = Writer.WriteStartedMs;
        if (writeStarted != 0 && nowMs - writeStarted > SendStallTimeoutMs)
        {
            return $"send stalled: no write completed in {SendStallTimeoutMs} ms";
        }
        return null;
    }

    protected virtual string DeadlineReason => "deadline expired";

    /// <summary>Why the writer stopped on its own (end of stream, a refusal sent), if it did.</summary>
    protected string? WriterEndReason => Volatile.Read(ref _writerEndReason);

    private string? _writerEndReason;

    /// <summary>
    /// The connection's writer stopped. When it stopped by itself (the response or stream is over, a
    /// write failed) the connection ends too, which ends the session's read loop.
    /// </summary>
    void IWriterEndListener.OnWriterEnded(string reason)
    {
        Interlocked.CompareExchange(ref _writerEndReason, reason, null);
        if (reason is ConnectionWriter.TooSlowReason or ConnectionWriter.BacklogReason)
        {
            OnWriterGaveUp(reason);
        }
        Connection.Abort();
    }

    /// <summary>The writer gave up on the peer (too slow, or not reading its replies); sessions log it.</summary>
    protected abstract void OnWriterGaveUp(string reason);

    /// <summary>
    /// Ends the connection: a final reply the protocol queued (a refusal, an error status) goes
    /// out first, within a bound, unless the connection is already dead. Returns the writer's reason.
    /// </summary>
    protected async Task<string> FinishAsync(Task<string> sendLoop, string reason)
    {
        if (!Connection.IsAborted && Writer.IsClosingAfterFlush)
        {
            await Task.WhenAny(sendLoop, Task.Delay(FinalFlushTimeoutMs)).ConfigureAwait(false);
        }
        Writer.Close(reason);
        Connection.Abort();
        return await sendLoop.ConfigureAwait(false);
    }

    private const int FinalFlushTimeoutMs = 2000;

    /// <summary>Ends the session from outside (deadline, kick, takeover): the reason is logged once.</summary>
    public void Abort(string reason)
    {
        Interlocked.CompareExchange(ref _abortReason, reason, null);
        Writer.Close(reason);
        Connection.Abort();
    }
}
