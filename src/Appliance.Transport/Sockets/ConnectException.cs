using System.Net.Sockets;

namespace Appliance.Transport.Sockets;

/// <summary>
/// An outbound connect that did not succeed: to which host and port, and why
/// ("connect to 10.0.0.1:1935 failed: connection refused", "connect to 10.0.0.1:1935 timed out
/// after 3000 ms"). A <see cref="SocketException"/>, so <see cref="SocketException.SocketErrorCode"/>
/// says the same for code that groups failures.
/// </summary>
public sealed class ConnectException : SocketException
{
    private ConnectException(SocketError error, string reason, string message)
        : base((int)error, message)
    {
        Reason = reason;
    }

    /// <summary>Why, without host and port: "connection refused", "timed out after 3000 ms".</summary>
    public string Reason { get; }

    public static ConnectException Failed(string host, int port, SocketError error)
    {
        var reason = SocketErrorText.Describe(error);
        return new(error, reason, $"connect to {HostPort(host, port)} failed: {reason}");
    }

    public static ConnectException TimedOut(string host, int port, int timeoutMs)
    {
        var reason = $"timed out after {timeoutMs} ms";
        return new(SocketError.TimedOut, reason, $"connect to {HostPort(host, port)} {reason}");
    }

    /// <summary>host:port, an IPv6 literal in brackets.</summary>
    public static string HostPort(string host, int port) => host.Contains(':', StringComparison.Ordinal) ? $"[{host}]:{port}" : $"{host}:{port}";
}
