using System.Collections.Concurrent;
using System.Net;
using System.Runtime.InteropServices;
using Appliance.Core.Time;
using Appliance.Transport.Native;

namespace Appliance.Transport.Srt;

/// <summary>
/// An SRT listener in live mode. Each caller's handshake is put to <c>decide</c> before it is
/// accepted (libsrt's listen callback), with the stream id it sent: the answer sets that
/// connection's latency, passphrase and key length, or refuses it with an access-control reason
/// the caller sees. Accepted connections go to the handler on the thread pool.
/// </summary>
/// <remarks>
/// A wrong or missing passphrase fails inside libsrt after the callback said yes, and libsrt tells
/// nobody on this side; a handshake accepted here that never arrives at accept within
/// <see cref="HandshakeGraceMs"/> is reported through <see cref="HandshakeFailed"/> instead.
/// </remarks>
public sealed class SrtListener : IAsyncDisposable
{
    public const int HandshakeGraceMs = 3000;

    private readonly int _socket;
    private readonly Func<SrtHandshake, SrtHandshakeDecision> _decide;
    private readonly Func<SrtConnection, Task> _handler;
    private readonly ConcurrentDictionary<int, Pending> _pending = new();
    private readonly Timer _sweeper;
    private GCHandle _self;
    private Thread? _acceptThread;
    private int _stopped;

    public unsafe SrtListener(IPEndPoint endPoint, Func<SrtHandshake, SrtHandshakeDecision> decide, Func<SrtConnection, Task> handler, int backlog = 256)
    {
        if (!LibSrt.TryLoad(out var problem))
        {
            throw new SrtException(problem);
        }
        _decide = decide;
        _handler = handler;
        _socket = LibSrt.CreateSocket();
        if (_socket == LibSrt.InvalidSocket)
        {
            throw SrtSocket.Failure("create socket");
        }
        try
        {
            Span<byte> address = stackalloc byte[28];
            var length = SrtSocket.FromEndPoint(endPoint, address);
            fixed (byte* p = address)
            {
                if (LibSrt.Bind(_socket, p, length) < 0)
                {
                    throw SrtSocket.Failure("bind");
                }
            }
            _self = GCHandle.Alloc(this);
            if (LibSrt.ListenCallback(_socket, &OnHandshake, GCHandle.ToIntPtr(_self)) < 0 || LibSrt.Listen(_socket, backlog) < 0)
            {
                throw SrtSocket.Failure("listen");
            }
            LocalEndPoint = SrtSocket.LocalEndPoint(_socket) ?? endPoint;
        }
        catch
        {
            LibSrt.Close(_socket);
            if (_self.IsAllocated)
            {
                _self.Free();
            }
            throw;
        }
        _sweeper = new Timer(_ => SweepPending(), null, Timeout.Infinite, Timeout.Infinite);
    }

    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Accept failed for a reason other than shutdown.</summary>
    public Action<Exception>? AcceptError { get; set; }

    /// <summary>A handshake that was let through never completed (wrong or missing passphrase, or the caller gave up): its peer and stream id.</summary>
    public Action<IPEndPoint?, string>? HandshakeFailed { get; set; }

    public void Start()
    {
        _acceptThread = new Thread(AcceptLoop) { IsBackground = true, Name = "srt-accept" };
        _acceptThread.Start();
        _sweeper.Change(1000, 1000);
    }

    [UnmanagedCallersOnly]
    private static unsafe int OnHandshake(nint opaque, int socket, int version, nint peer, nint streamId)
    {
        try
        {
            return GCHandle.FromIntPtr(opaque).Target is SrtListener listener ? listener.Decide(socket, (byte*)peer, streamId) : -1;
        }
        catch (Exception)
        {
            // Nothing may escape into libsrt's thread.
            LibSrt.SetRejectReason(socket, LibSrt.RejectBadRequest);
            return -1;
        }
    }

    private unsafe int Decide(int socket, byte* peer, nint streamIdText)
    {
        var remote = SrtSocket.ToEndPoint(peer);
        var streamId = streamIdText == 0 ? "" : Marshal.PtrToStringUTF8(streamIdText) ?? "";
        var decision = _decide(new SrtHandshake(remote, streamId));
        if (decision.Settings is not { } settings)
        {
            LibSrt.SetRejectReason(socket, decision.RejectReason);
            return -1;
        }
        SrtSocket.Apply(socket, settings);
        _pending[socket] = new Pending(remote, streamId, settings.PayloadSize, MonotonicClock.NowMs);
        return 0;
    }

    private unsafe void AcceptLoop()
    {
        var address = stackalloc byte[128];
        while (Volatile.Read(ref _stopped) == 0)
        {
            var length = 128;
            var socket = LibSrt.Accept(_socket, address, &length);
            if (socket == LibSrt.InvalidSocket)
            {
                if (Volatile.Read(ref _stopped) != 0)
                {
                    return;
                }
                AcceptError?.Invoke(SrtSocket.Failure("accept"));
                Thread.Sleep(50);
                continue;
            }
            var remote = SrtSocket.ToEndPoint(address);
            var payloadSize = _pending.TryRemove(socket, out var pending) ? pending.PayloadSize : SrtSettings.DefaultPayloadSize;
            var connection = new SrtConnection(socket, remote, SrtSocket.GetStreamId(socket), payloadSize);
            _ = Task.Run(() => RunHandlerAsync(connection));
        }
    }

    private async Task RunHandlerAsync(SrtConnection connection)
    {
        try
        {
            await _handler(connection).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            AcceptError?.Invoke(ex);
        }
        finally
        {
            connection.Abort();
        }
    }

    private void SweepPending()
    {
        var now = MonotonicClock.NowMs;
        foreach (var (socket, pending) in _pending)
        {
            if (now - pending.SinceMs > HandshakeGraceMs && _pending.TryRemove(socket, out _))
            {
                HandshakeFailed?.Invoke(pending.Peer, pending.StreamId);
            }
        }
    }

    /// <summary>Stops accepting; connections already accepted go on.</summary>
    public void StopAccepting()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            LibSrt.Close(_socket);
        }
    }

    public async ValueTask DisposeAsync()
    {
        StopAccepting();
        await _sweeper.DisposeAsync().ConfigureAwait(false);
        // No callback can run once accept has returned on the closed socket.
        _acceptThread?.Join(TimeSpan.FromSeconds(5));
        if (_self.IsAllocated)
        {
            _self.Free();
        }
    }

    private readonly record struct Pending(IPEndPoint? Peer, string StreamId, int PayloadSize, long SinceMs);
}
