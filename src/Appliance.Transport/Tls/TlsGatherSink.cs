using System.Buffers;
using System.Net.Security;
using Appliance.Core.Buffers;
using Appliance.Core.Connections;

namespace Appliance.Transport.Tls;

/// <summary>
/// The write side of a TLS connection. The shared frame buffers reach this point unchanged; here
/// each connection encrypts its own copy. A batch of slices is coalesced into one pooled buffer
/// (returned after the write, so nothing is allocated per write) and handed to SslStream as one
/// write, which seals it into as few records (16 KB each) as the bytes need and writes each
/// record once: the batching the writer did on plain sockets survives.
/// </summary>
public sealed class TlsGatherSink(SslStream stream) : IGatherSink
{
    // Four full TLS records: big enough that a flush of a busy stream is one or two writes,
    // small enough that the pool keeps it warm.
    private const int CoalesceBytes = 64 * 1024;

    private long _writes;

    public long Syscalls => Interlocked.Read(ref _writes);

    public async ValueTask WriteAsync(ReadOnlyMemory<BufferSlice> slices, CancellationToken cancellationToken)
    {
        if (slices.Length == 1)
        {
            await WriteOneAsync(slices.Span[0].Memory, cancellationToken).ConfigureAwait(false);
            return;
        }
        var buffer = ArrayPool<byte>.Shared.Rent(CoalesceBytes);
        try
        {
            var filled = 0;
            for (var i = 0; i < slices.Length; i++)
            {
                var rest = slices.Span[i].Memory;
                while (!rest.IsEmpty)
                {
                    var take = Math.Min(rest.Length, CoalesceBytes - filled);
                    rest.Span[..take].CopyTo(buffer.AsSpan(filled));
                    filled += take;
                    rest = rest[take..];
                    if (filled == CoalesceBytes)
                    {
                        await WriteOneAsync(buffer.AsMemory(0, filled), cancellationToken).ConfigureAwait(false);
                        filled = 0;
                    }
                }
            }
            if (filled > 0)
            {
                await WriteOneAsync(buffer.AsMemory(0, filled), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>A segment file goes from its mapping straight into the encryption: no copy here (sendfile cannot encrypt).</summary>
    public async ValueTask SendFileAsync(SharedFile file, long offset, long count, CancellationToken cancellationToken)
    {
        var end = offset + count;
        while (offset < end)
        {
            var chunk = (int)Math.Min(CoalesceBytes, end - offset);
            await WriteOneAsync(file.Memory.Slice((int)offset, chunk), cancellationToken).ConfigureAwait(false);
            offset += chunk;
        }
    }

    private ValueTask WriteOneAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _writes);
        return stream.WriteAsync(bytes, cancellationToken);
    }
}
