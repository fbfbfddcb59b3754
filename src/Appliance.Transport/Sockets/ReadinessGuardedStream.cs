using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace Appliance.Transport.Sockets;

/// <summary>
/// A NetworkStream whose zero-byte read completes only when data (or the end) is really there.
/// On Linux a zero-byte receive can complete on a stale readiness event; the pipe reader then
/// rents a 16 KB buffer and parks a real receive on it until the peer speaks again, which for an
/// idle viewer may be never. Checking with a non-blocking poll keeps idle connections bufferless.
/// </summary>
internal sealed class ReadinessGuardedStream(Socket socket) : NetworkStream(socket, ownsSocket: false)
{
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        buffer.IsEmpty ? WaitUntilReadableAsync(cancellationToken) : base.ReadAsync(buffer, cancellationToken);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> WaitUntilReadableAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await base.ReadAsync(Memory<byte>.Empty, cancellationToken).ConfigureAwait(false);
            if (Socket.Poll(0, SelectMode.SelectRead))
            {
                return 0;
            }
        }
    }
}
