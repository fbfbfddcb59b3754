using System.Buffers.Binary;
using System.Net.Sockets;

namespace Appliance.Transport.Sockets;

public sealed partial class SocketGatherSink
{
    private const int IpProtoTcp = 6;
    private const int TcpNotSentLowat = 25;

    /// <summary>
    /// TCP_NOTSENT_LOWAT: the socket reports itself full once this many bytes wait unsent, however
    /// large the kernel has grown its send buffer (up to tcp_wmem's 4 MB by default: tens of seconds of
    /// a stream towards a slow path, invisible to the node's lag check). A kernel without the option
    /// keeps its own buffer sizes; the viewer still plays.
    /// </summary>
    public void LimitUnsent(int bytes)
    {
        Span<byte> value = stackalloc byte[sizeof(int)];
        BinaryPrimitives.WriteInt32LittleEndian(value, bytes);
        try
        {
            _socket.SetRawSocketOption(IpProtoTcp, TcpNotSentLowat, value);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
    }
}
