using Appliance.Core.Buffers;
using Appliance.Core.Connections;
using Appliance.Protocols.Rtmp;

namespace Appliance.Relay.Push;

/// <summary>Lets a connection writer feed pre-chunked RTMP media into a publishing client.</summary>
internal sealed class RtmpClientSink(RtmpClient client) : IGatherSink
{
    public ValueTask WriteAsync(ReadOnlyMemory<BufferSlice> slices, CancellationToken cancellationToken) =>
        client.SendChunksAsync(slices, cancellationToken);
}
