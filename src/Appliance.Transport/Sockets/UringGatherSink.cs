using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Appliance.Core.Buffers;
using Appliance.Core.Connections;
using Appliance.Transport.Uring;

namespace Appliance.Transport.Sockets;

/// <summary>
/// Writes a socket's gathers through the process's <see cref="SendRing"/>: each sendmsg is queued
/// and submitted with every other socket's in one io_uring_enter. The slices' buffers stay
/// referenced by the caller until the CQE, because the write completes only then. A partial send
/// resubmits the rest. Files keep sendfile(2) on the epoll path (see <see cref="SendFileAsync"/>).
/// </summary>
public sealed class UringGatherSink : IGatherSink
{
    private const int MsgNoSignal = 0x4000;
    private const int MsgMore = 0x8000;
    private const int EIntr = 4;
    private const int EAgain = 11;
    private const int EInval = 22;
    private const int EOpNotSupp = 95;

    private readonly SendRing _ring;
    private readonly UringOperation _operation;
    private readonly SocketGatherSink _files;
    private long _sends;

    public UringGatherSink(Socket socket, SendRing ring)
    {
        _ring = ring;
        _operation = new UringOperation(socket.SafeHandle);
        _files = new SocketGatherSink(socket);
    }

    /// <summary>Sends the ring completed for this socket, plus the file path's system calls.</summary>
    public long Syscalls => Interlocked.Read(ref _sends) + _files.Syscalls;

    public ValueTask WriteAsync(ReadOnlyMemory<BufferSlice> slices, CancellationToken cancellationToken) =>
        SendAsync(slices, MsgNoSignal, cancellationToken);

    /// <summary>A socket option, whichever path sends: set as the epoll path sets it.</summary>
    public void LimitUnsent(int bytes) => _files.LimitUnsent(bytes);

    /// <summary>The head goes through the ring with MSG_MORE, then the file by sendfile, so the head leaves with the file's first bytes.</summary>
    public async ValueTask WriteThenSendFileAsync(ReadOnlyMemory<BufferSlice> head, SharedFile file, long offset, long count, CancellationToken cancellationToken)
    {
        await SendAsync(head, count == 0 ? MsgNoSignal : MsgNoSignal | MsgMore, cancellationToken).ConfigureAwait(false);
        if (count > 0)
        {
            await _files.SendFileAsync(file, offset, count, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// sendfile(2), as on the epoll path. Splicing through the ring would need a pipe per file
    /// send and two linked entries per 64 KB, and file sends are single HTTP responses, not a
    /// flush's many sockets: there is no batch for the ring to win, and sendfile is already
    /// zero-copy.
    /// </summary>
    public ValueTask SendFileAsync(SharedFile file, long offset, long count, CancellationToken cancellationToken) =>
        _files.SendFileAsync(file, offset, count, cancellationToken);

    /// <summary>The connection is closing: a send waiting in the kernel is cancelled, and the operation freed once it is done.</summary>
    public void Close()
    {
        _ring.Cancel(_operation);
        _operation.Close();
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SendAsync(ReadOnlyMemory<BufferSlice> slices, int flags, CancellationToken cancellationToken)
    {
        var index = 0;
        var offset = 0;
        SkipEmpty(slices.Span, ref index, ref offset);
        if (index == slices.Length)
        {
            return;
        }
        var header = _ring.RentHeader();
        try
        {
            using var cancellation = cancellationToken.CanBeCanceled
                ? cancellationToken.UnsafeRegister(static state => ((UringGatherSink)state!).CancelPending(), this)
                : default;
            while (index < slices.Length)
            {
                var bytes = Fill(slices.Span, index, offset, header);
                var kind = _ring.ZeroCopyMinBytes > 0 && bytes >= _ring.ZeroCopyMinBytes
                    ? UringOperationKind.SendMessageZeroCopy : UringOperationKind.SendMessage;
                cancellationToken.ThrowIfCancellationRequested();
                var result = await _operation.StartAsync(_ring, kind, header, flags).ConfigureAwait(false);
                if (result < 0)
                {
                    var errno = -result;
                    if (errno == EIntr)
                    {
                        continue;
                    }
                    if (errno == EAgain)
                    {
                        // The kernel normally polls a full socket itself; should it hand EAGAIN
                        // back, wait for room through the ring and send again.
                        await _operation.StartAsync(_ring, UringOperationKind.PollWritable, 0, 0).ConfigureAwait(false);
                        continue;
                    }
                    if (kind == UringOperationKind.SendMessageZeroCopy && errno is EInval or EOpNotSupp)
                    {
                        _ring.DisableZeroCopy();
                        continue;
                    }
                    cancellationToken.ThrowIfCancellationRequested();
                    throw new SocketException(errno);
                }
                Interlocked.Increment(ref _sends);
                Advance(slices.Span, ref index, ref offset, result);
            }
        }
        finally
        {
            _ring.ReturnHeader(header);
        }
    }

    private void CancelPending() => _ring.Cancel(_operation);

    /// <summary>Points the iovecs at the unsent slices, as many as fit; returns their bytes.</summary>
    private static unsafe long Fill(ReadOnlySpan<BufferSlice> slices, int index, int offset, nint block)
    {
        var header = (UringAbi.MessageHeader*)block;
        var iovecs = (UringAbi.Iovec*)(header + 1);
        var capacity = SendRing.IovecsPerBlock;
        var count = 0;
        long bytes = 0;
        for (var i = index; i < slices.Length && count < capacity; i++)
        {
            var slice = slices[i];
            var skip = i == index ? offset : 0;
            var length = slice.Length - skip;
            if (length == 0)
            {
                continue;
            }
            iovecs[count].Base = slice.Buffer.Pointer + slice.Offset + skip;
            iovecs[count].Length = (nuint)length;
            bytes += length;
            count++;
        }
        *header = default;
        header->Iov = iovecs;
        header->IovLength = (nuint)count;
        return bytes;
    }

    private static void Advance(ReadOnlySpan<BufferSlice> slices, ref int index, ref int offset, long written)
    {
        while (written > 0 && index < slices.Length)
        {
            var remaining = slices[index].Length - offset;
            if (written >= remaining)
            {
                written -= remaining;
                index++;
                offset = 0;
            }
            else
            {
                offset += (int)written;
                written = 0;
            }
        }
        SkipEmpty(slices, ref index, ref offset);
    }

    private static void SkipEmpty(ReadOnlySpan<BufferSlice> slices, ref int index, ref int offset)
    {
        while (index < slices.Length && slices[index].Length == offset)
        {
            index++;
            offset = 0;
        }
    }
}
