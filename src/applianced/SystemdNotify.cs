using System.Net.Sockets;
using System.Text;

namespace Appliance.Daemon;

/// <summary>
/// sd_notify(3) for Type=notify units: READY=1 once listening, RELOADING=1/READY=1 around a
/// reload, STOPPING=1 when draining. Without $NOTIFY_SOCKET (not under systemd) it does nothing.
/// </summary>
internal static class SystemdNotify
{
    public static void Send(string state)
    {
        var target = Environment.GetEnvironmentVariable("NOTIFY_SOCKET");
        if (string.IsNullOrEmpty(target))
        {
            return;
        }
        // '@' names a socket in the abstract namespace, which the socket API spells with a leading NUL.
        var path = target[0] == '@' ? "\0" + target[1..] : target;
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            socket.SendTo(Encoding.UTF8.GetBytes(state), new UnixDomainSocketEndPoint(path));
        }
        catch (SocketException)
        {
            // systemd not listening (a stale variable): the service still runs; notification is best effort.
        }
    }

    /// <summary>RELOADING=1 wants the monotonic time (µs) since systemd 253, to match the reload with its READY=1.</summary>
    public static string Reloading() =>
        $"RELOADING=1\nMONOTONIC_USEC={System.Diagnostics.Stopwatch.GetTimestamp() / (System.Diagnostics.Stopwatch.Frequency / 1_000_000)}";
}
