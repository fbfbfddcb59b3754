using System.Buffers;
using Appliance.Protocols.Http;

namespace Appliance.Load.Viewers.Http;

/// <summary>
/// A chunked live body, decoded into the counter. The decoder leaves an incomplete chunk-size line
/// unconsumed; that tail (at most a line, 4 KB) is carried to the next read in a small array of its
/// own, so the read buffer can go back to the pool.
/// </summary>
internal sealed class ChunkedLiveBody(IBodySink inner)
{
    private readonly ChunkedBodyDecoder _decoder = new();
    private readonly ChunkedBodySink _decoded = new(inner);
    private byte[]? _carry;
    private int _carried;

    /// <summary>Decodes <paramref name="data"/>; true once the last chunk has been read.</summary>
    public bool Write(ReadOnlyMemory<byte> data)
    {
        if (_carried == 0)
        {
            return Decode(new ReadOnlySequence<byte>(data));
        }
        if (_carried + data.Length > _carry!.Length)
        {
            Array.Resize(ref _carry, _carried + data.Length);
        }
        data.Span.CopyTo(_carry.AsSpan(_carried));
        return Decode(new ReadOnlySequence<byte>(_carry, 0, _carried + data.Length));
    }

    private bool Decode(ReadOnlySequence<byte> input)
    {
        var reader = new SequenceReader<byte>(input);
        bool finished;
        while (_decoder.TryRead(ref reader, _decoded, out finished) && !finished && !reader.End)
        {
        }
        var rest = reader.UnreadSequence;
        if (finished || rest.IsEmpty)
        {
            _carried = 0;
            return finished;
        }
        var left = (int)rest.Length;
        var kept = new byte[Math.Max(left, 256)];
        rest.CopyTo(kept);
        _carry = kept;
        _carried = left;
        return false;
    }
}
