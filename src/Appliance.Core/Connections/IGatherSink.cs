using Appliance.Core.Buffers;

namespace Appliance.Core.Connections;

/// <summary>
/// The write side of a connection. One writer at a time; each call writes every byte of the slices
/// in order (one writev where the transport can), or throws when the peer is gone.
/// </summary>
public interface IGatherSink
{
    ValueTask WriteAsync(ReadOnlyMemory<BufferSlice> slices, CancellationToken cancellationToken);

    /// <summary>
    /// System calls that wrote so far (one per gather write the kernel took whole); with the
    /// writer's flushes this says how well writes were merged. 0 for sinks that make none.
    /// </summary>
    long Syscalls => 0;

    /// <summary>
    /// True when <see cref="WriteAsync"/> does its work on the caller's thread and completes
    /// there whenever the kernel takes every byte (a plain socket's non-blocking gather write):
    /// a merged flush then writes from its own threads instead of waking each connection's send
    /// loop. False for sinks that complete later by design (io_uring's completions, TLS, pipes).
    /// </summary>
    bool WritesInline => false;

    /// <summary>
    /// Bounds what the kernel may hold of this connection's output that has not left yet
    /// (TCP_NOTSENT_LOWAT on a socket), so a path slower than the stream shows as a writer that
    /// waits, where the node can see the delay, instead of as seconds queued in a send buffer. A
    /// no-op for sinks without a kernel queue.
    /// </summary>
    void LimitUnsent(int bytes)
    {
    }

    /// <summary>
    /// Writes <paramref name="head"/> (a response's header), then a file range, as one response.
    /// Sockets keep the head from leaving as a packet of its own (MSG_MORE): it goes out with the
    /// file's first bytes. This default writes one, then the other.
    /// </summary>
    async ValueTask WriteThenSendFileAsync(ReadOnlyMemory<BufferSlice> head, SharedFile file, long offset, long count, CancellationToken cancellationToken)
    {
        if (!head.IsEmpty)
        {
            await WriteAsync(head, cancellationToken).ConfigureAwait(false);
        }
        await SendFileAsync(file, offset, count, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes <paramref name="count"/> bytes of <paramref name="file"/> from <paramref name="offset"/>.
    /// Sockets use sendfile; this default, for in-memory sinks, copies through a pooled buffer.
    /// </summary>
    async ValueTask SendFileAsync(SharedFile file, long offset, long count, CancellationToken cancellationToken)
    {
        var copy = SharedBuffer.CopyOf(file.Memory.Span.Slice(checked((int)offset), checked((int)count)));
        try
        {
            await WriteAsync(new[] { new BufferSlice(copy) }, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            copy.Release();
        }
    }
}
