using Appliance.Core.Buffers;

namespace Appliance.Core.Connections;

/// <summary>
/// The write side of a connection. One writer at a time; each call writes every byte of the slices
/// in order (one writev where the transport can), or throws when the peer is gone.
/// </summary>
public interface IGatherSink
{
    ValueTask WriteAsync(ReadOnlyMemory<BufferSlice> slices, CancellationToken cancellationToken);
}
