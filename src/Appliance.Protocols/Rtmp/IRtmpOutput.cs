using Appliance.Core.Buffers;

namespace Appliance.Protocols.Rtmp;

/// <summary>Where a server connection's replies go, in order, to be written to the peer.</summary>
public interface IRtmpOutput
{
    /// <summary>Queues complete chunk bytes; takes over the buffer's reference.</summary>
    void Send(SharedBuffer chunks);
}
