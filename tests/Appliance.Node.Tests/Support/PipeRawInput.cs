using System.Buffers;
using Appliance.Core.Connections;

namespace Appliance.Node.Tests.Support;

/// <summary>
/// A <see cref="PipeConnection"/>'s input read the way a socket's raw input is: a wait that takes
/// nothing, a readiness check, and a receive of what has arrived. What the wait saw arrive stays
/// here, as in a socket's receive buffer, until received. Fails like the connection's pipe once
/// aborted.
/// </summary>
internal sealed class PipeRawInput(AbortableReader input) : IRawInput
{
    private byte[] _arrived = [];
    private int _offset;
    private bool _closed;
    private long _received;

    public int Waits { get; private set; }

    /// <summary>Bytes the server has received through this input.</summary>
    public long Received => Interlocked.Read(ref _received);

    public async ValueTask<int> WaitAsync()
    {
        Waits++;
        if (_offset < _arrived.Length || _closed)
        {
            return 0;
        }
        var result = await input.ReadAsync().ConfigureAwait(false);
        _arrived = result.Buffer.ToArray();
        _offset = 0;
        _closed = result.IsCompleted;
        input.AdvanceTo(result.Buffer.End);
        return 0;
    }

    public bool HasInput => _offset < _arrived.Length || _closed;

    public int Receive(Span<byte> into)
    {
        var count = Math.Min(into.Length, _arrived.Length - _offset);
        _arrived.AsSpan(_offset, count).CopyTo(into);
        _offset += count;
        Interlocked.Add(ref _received, count);
        return count;
    }
}
