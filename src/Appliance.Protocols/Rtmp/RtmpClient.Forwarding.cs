using System.Buffers;
using Appliance.Core.Buffers;

namespace Appliance.Protocols.Rtmp;

// For a node forwarding a stream: media arrives already chunked (the same bytes its RTMP viewers
// get), so it goes onto the connection as it is instead of being chunked again per target.
public sealed partial class RtmpClient
{
    /// <summary>Tells the server the chunk size of everything that follows, and uses it for this client's own messages.</summary>
    public async ValueTask SetChunkSizeAsync(int chunkSize, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1);
        var control = new byte[RtmpControl.MaxControlLength];
        var length = RtmpControl.WriteSetChunkSize(control, chunkSize);
        await _writeLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            _output.Write(control.AsSpan(0, length));
            _outChunkSize = chunkSize;
            await FlushCountedAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// Sends complete messages already chunked at this client's outgoing chunk size (<see cref="SetChunkSizeAsync"/>) for message
    /// stream <see cref="StreamId"/>; whole slices go out between this client's own messages,
    /// never inside one.
    /// </summary>
    public async ValueTask SendChunksAsync(ReadOnlyMemory<BufferSlice> slices, CancellationToken ct)
    {
        await _writeLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            foreach (var slice in slices.Span)
            {
                _output.Write(slice.Span);
            }
            var flush = await FlushCountedAsync(ct).ConfigureAwait(false);
            if (flush.IsCompleted)
            {
                throw new IOException("The server closed the connection.");
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }
}
