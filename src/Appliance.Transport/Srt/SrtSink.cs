using Appliance.Core.Buffers;
using Appliance.Core.Connections;
using Appliance.Transport.Native;

namespace Appliance.Transport.Srt;

/// <summary>
/// The write side of an SRT connection: the bytes of each write cut into messages of the payload
/// size (1316 = seven TS packets), the last one shorter. A live-mode send only waits while SRT's
/// send buffer is full; a closed connection throws <see cref="IOException"/>.
/// </summary>
public sealed unsafe class SrtSink : IGatherSink
{
    private readonly SrtConnection _connection;
    private readonly byte[] _message;
    private long _messages;

    internal SrtSink(SrtConnection connection, int payloadSize)
    {
        _connection = connection;
        _message = new byte[payloadSize];
    }

    public long Syscalls => Interlocked.Read(ref _messages);

    public ValueTask WriteAsync(ReadOnlyMemory<BufferSlice> slices, CancellationToken cancellationToken)
    {
        var filled = 0;
        foreach (var slice in slices.Span)
        {
            var span = slice.Span;
            while (!span.IsEmpty)
            {
                var take = Math.Min(span.Length, _message.Length - filled);
                span[..take].CopyTo(_message.AsSpan(filled));
                filled += take;
                span = span[take..];
                if (filled == _message.Length)
                {
                    Send(filled);
                    filled = 0;
                }
            }
        }
        if (filled > 0)
        {
            Send(filled);
        }
        // A player's connection receives nothing: its writes keep its figures fresh too.
        _connection.SampleIfDue();
        return ValueTask.CompletedTask;
    }

    private void Send(int length)
    {
        if (_connection.IsAborted)
        {
            throw new IOException("SRT connection closed");
        }
        int sent;
        fixed (byte* message = _message)
        {
            sent = LibSrt.SendMsg2(_connection.Socket, message, length, 0);
        }
        if (sent < 0)
        {
            throw new IOException($"SRT send: {LibSrt.LastErrorText()}");
        }
        Interlocked.Increment(ref _messages);
    }
}
