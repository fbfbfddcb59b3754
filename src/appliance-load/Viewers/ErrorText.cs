using System.Net.Sockets;

namespace Appliance.Load.Viewers;

/// <summary>A short, groupable description of why a viewer failed (no addresses or ports in it).</summary>
internal static class ErrorText
{
    public static string Of(Exception e) => e switch
    {
        SocketException s => $"socket: {s.SocketErrorCode}",
        IOException { InnerException: SocketException s } => $"socket: {s.SocketErrorCode}",
        _ => $"{e.GetType().Name}: {e.Message}",
    };
}
