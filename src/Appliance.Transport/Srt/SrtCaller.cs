using System.Net;
using Appliance.Transport.Native;

namespace Appliance.Transport.Srt;

/// <summary>Opens SRT connections to a listener (live mode), with a stream id and the same settings a listener applies.</summary>
public static unsafe class SrtCaller
{
    /// <summary>
    /// <see cref="Connect"/> on a thread of its own. libsrt's connect blocks for up to its timeout:
    /// on a thread-pool worker, every probe or pull of a parent that is down would hold one for that
    /// long, while the workers that write to viewers wait and the pool adds threads only slowly.
    /// </summary>
    public static Task<SrtConnection> ConnectAsync(IPEndPoint endPoint, string streamId, SrtSettings settings, int timeoutMs = 3000) =>
        OffThePool(() => Connect(endPoint, streamId, settings, timeoutMs));

    internal static Task<T> OffThePool<T>(Func<T> blocking) =>
        Task.Factory.StartNew(blocking, CancellationToken.None, TaskCreationOptions.LongRunning | TaskCreationOptions.DenyChildAttach, TaskScheduler.Default);

    /// <summary>
    /// Connects (blocking; <see cref="ConnectAsync"/> off the thread pool). A refusal throws
    /// <see cref="SrtException"/> with the listener's reject reason.
    /// </summary>
    public static SrtConnection Connect(IPEndPoint endPoint, string streamId, SrtSettings settings, int timeoutMs = 3000)
    {
        if (!LibSrt.TryLoad(out var problem))
        {
            throw new SrtException(problem);
        }
        var socket = LibSrt.CreateSocket();
        if (socket == LibSrt.InvalidSocket)
        {
            throw SrtSocket.Failure("create socket");
        }
        try
        {
            SrtSocket.Apply(socket, settings);
            SrtSocket.SetInt(socket, LibSrt.OptConnTimeo, timeoutMs, "connect timeout");
            if (streamId.Length > 0)
            {
                SrtSocket.SetString(socket, LibSrt.OptStreamId, streamId, "stream id");
            }
            Span<byte> address = stackalloc byte[28];
            var length = SrtSocket.FromEndPoint(endPoint, address);
            fixed (byte* p = address)
            {
                if (LibSrt.Connect(socket, p, length) < 0)
                {
                    var reason = LibSrt.GetRejectReason(socket);
                    throw new SrtException($"SRT connect {endPoint}: {LibSrt.LastErrorText()} (reject reason {reason})", reason);
                }
            }
            return new SrtConnection(socket, endPoint, streamId, settings.PayloadSize);
        }
        catch
        {
            LibSrt.Close(socket);
            throw;
        }
    }
}
