using System.Net.Sockets;
using System.Runtime.InteropServices;
using Appliance.Core.Buffers;
using Appliance.Core.Connections;
using Appliance.Transport.Native;

namespace Appliance.Transport.Sockets;

/// <summary>
/// Writes many shared buffers to a socket with one sendmsg (a gather write). When the kernel's
/// send buffer is full it falls back to the runtime's async send for the current slice, which
/// parks on epoll until the socket is writable, then resumes gathering.
/// </summary>
public sealed partial class SocketGatherSink : IGatherSink
{
    // Linux caps a gather at IOV_MAX (1024); a smaller batch keeps the stack frame small.
    private const int MaxIovecs = 64;
    private const int MsgDontWait = 0x40;
    private const int MsgNoSignal = 0x4000;
    private const int MsgMore = 0x8000;
    private const int EIntr = 4;
    private const int EAgain = 11;

    private readonly Socket _socket;
    private long _syscalls;

    public SocketGatherSink(Socket socket) => _socket = socket;

    /// <summary>Gather writes issued; against the bytes the session sent, this tells how well writes were merged.</summary>
    public long Syscalls => Interlocked.Read(ref _syscalls);

    /// <summary>sendmsg with MSG_DONTWAIT on the caller's thread: a write the kernel takes whole completes there.</summary>
    public bool WritesInline => true;

    public ValueTask WriteAsync(ReadOnlyMemory<BufferSlice> slices, CancellationToken cancellationToken)
    {
        var cursor = new Cursor();
        if (WriteUntilBlocked(slices.Span, ref cursor, 0))
        {
            return ValueTask.CompletedTask;
        }
        return WriteSlowAsync(slices, cursor, cancellationToken);
    }

    /// <summary>
    /// The head goes with MSG_MORE, so the kernel holds it until sendfile adds the file's first
    /// pages: a segment's response leaves in full-sized packets from its first byte instead of a
    /// small packet of headers, then the body (what nginx gets from TCP_NOPUSH). A head the socket
    /// cannot take at once takes the ordinary path.
    /// </summary>
    public ValueTask WriteThenSendFileAsync(ReadOnlyMemory<BufferSlice> head, SharedFile file, long offset, long count, CancellationToken cancellationToken)
    {
        if (count == 0)
        {
            return WriteAsync(head, cancellationToken);
        }
        var cursor = new Cursor();
        if (WriteUntilBlocked(head.Span, ref cursor, MsgMore))
        {
            return SendFileAsync(file, offset, count, cancellationToken);
        }
        return WriteSlowThenSendFileAsync(head, cursor, file, offset, count, cancellationToken);
    }

    private async ValueTask WriteSlowThenSendFileAsync(ReadOnlyMemory<BufferSlice> head, Cursor cursor, SharedFile file, long offset, long count, CancellationToken cancellationToken)
    {
        await WriteSlowAsync(head, cursor, cancellationToken).ConfigureAwait(false);
        await SendFileAsync(file, offset, count, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask WriteSlowAsync(ReadOnlyMemory<BufferSlice> slices, Cursor cursor, CancellationToken cancellationToken)
    {
        while (true)
        {
            var slice = slices.Span[cursor.Index];
            var rest = slice.Memory[cursor.Offset..];
            while (!rest.IsEmpty)
            {
                var sent = await _socket.SendAsync(rest, SocketFlags.None, cancellationToken).ConfigureAwait(false);
                Interlocked.Increment(ref _syscalls);
                rest = rest[sent..];
            }
            cursor.Index++;
            cursor.Offset = 0;
            if (WriteUntilBlocked(slices.Span, ref cursor, 0))
            {
                return;
            }
        }
    }

    /// <summary>
    /// Sends part of a file with sendfile(2): the kernel copies from the file's pages to the socket
    /// and the bytes never pass through this process. When the socket is full, one chunk goes out
    /// through the runtime's async send from the file's mapping (which waits for room), then
    /// sendfile resumes.
    /// </summary>
    public async ValueTask SendFileAsync(SharedFile file, long offset, long count, CancellationToken cancellationToken)
    {
        const int FallbackChunk = 64 * 1024;
        var end = offset + count;
        while (offset < end)
        {
            if (TrySendFile(file, ref offset, end))
            {
                return;
            }
            var chunk = (int)Math.Min(FallbackChunk, end - offset);
            var sent = await _socket.SendAsync(file.Memory.Slice((int)offset, chunk), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _syscalls);
            offset += sent;
        }
    }

    /// <summary>True when the range is sent; false when the socket would block.</summary>
    private unsafe bool TrySendFile(SharedFile file, ref long offset, long end)
    {
        var fd = (int)_socket.Handle;
        while (offset < end)
        {
            long position = offset;
            var result = LibC.SendFile(fd, file.FileDescriptor, &position, (nuint)(end - offset));
            if (result < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno == EIntr)
                {
                    continue;
                }
                if (errno == EAgain)
                {
                    return false;
                }
                throw new SocketException(errno);
            }
            if (result == 0)
            {
                throw new IOException("sendfile sent nothing: the file is shorter than its recorded length");
            }
            Interlocked.Increment(ref _syscalls);
            offset += result;
        }
        return true;
    }

    /// <summary>Returns true when everything is written; false when the socket would block.</summary>
    private unsafe bool WriteUntilBlocked(ReadOnlySpan<BufferSlice> slices, ref Cursor cursor, int flags)
    {
        var iov = stackalloc Iovec[MaxIovecs];
        var fd = (int)_socket.Handle;
        while (cursor.Index < slices.Length)
        {
            var count = 0;
            long batchBytes = 0;
            for (var i = cursor.Index; i < slices.Length && count < MaxIovecs; i++)
            {
                var slice = slices[i];
                var skip = i == cursor.Index ? cursor.Offset : 0;
                var length = slice.Length - skip;
                if (length == 0)
                {
                    continue;
                }
                iov[count].Base = slice.Buffer.Pointer + slice.Offset + skip;
                iov[count].Length = (nuint)length;
                batchBytes += length;
                count++;
            }
            if (count == 0)
            {
                cursor.Index = slices.Length;
                return true;
            }
            var header = new MessageHeader { Iov = iov, IovLength = (nuint)count };
            var result = SendMessage(fd, &header, MsgDontWait | MsgNoSignal | flags);
            if (result < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno == EIntr)
                {
                    continue;
                }
                if (errno == EAgain)
                {
                    return false;
                }
                throw new SocketException(errno);
            }
            Interlocked.Increment(ref _syscalls);
            Advance(slices, ref cursor, result);
        }
        return true;
    }

    private static void Advance(ReadOnlySpan<BufferSlice> slices, ref Cursor cursor, long written)
    {
        while (written > 0)
        {
            var remaining = slices[cursor.Index].Length - cursor.Offset;
            if (written >= remaining)
            {
                written -= remaining;
                cursor.Index++;
                cursor.Offset = 0;
            }
            else
            {
                cursor.Offset += (int)written;
                written = 0;
            }
        }
        while (cursor.Index < slices.Length && slices[cursor.Index].Length == cursor.Offset)
        {
            cursor.Index++;
            cursor.Offset = 0;
        }
    }

    [LibraryImport("libc", EntryPoint = "sendmsg", SetLastError = true)]
    private static unsafe partial nint SendMessage(int fd, MessageHeader* header, int flags);

    private struct Cursor
    {
        public int Index;
        public int Offset;
    }

    [StructLayout(LayoutKind.Sequential)]
    private unsafe struct Iovec
    {
        public byte* Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    private unsafe struct MessageHeader
    {
        public void* Name;
        public uint NameLength;
        public Iovec* Iov;
        public nuint IovLength;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }
}
