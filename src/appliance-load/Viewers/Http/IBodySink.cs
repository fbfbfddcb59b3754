using System.Buffers;

namespace Appliance.Load.Viewers.Http;

/// <summary>Where a response body goes, piece by piece, as it arrives (nothing is kept whole unless the sink keeps it).</summary>
internal interface IBodySink
{
    void Write(ReadOnlySpan<byte> data);
}

/// <summary>Bodies nobody reads: error pages, drained so the connection can be kept.</summary>
internal sealed class DiscardSink : IBodySink
{
    public static readonly DiscardSink Instance = new();

    public void Write(ReadOnlySpan<byte> data)
    {
    }
}

/// <summary>A whole small body (a playlist) in a pooled array, given back by <see cref="Release"/>.</summary>
internal sealed class PooledBodyBuffer : IBodySink
{
    private byte[]? _bytes;
    private int _length;

    public ReadOnlySpan<byte> Span => _bytes.AsSpan(0, _length);

    public void Write(ReadOnlySpan<byte> data)
    {
        if (_bytes is null || _length + data.Length > _bytes.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(4096, (_length + data.Length) * 2));
            var length = _length;
            Span.CopyTo(bigger);
            Release();
            _bytes = bigger;
            _length = length;
        }
        data.CopyTo(_bytes.AsSpan(_length));
        _length += data.Length;
    }

    public void Release()
    {
        if (_bytes is not null)
        {
            ArrayPool<byte>.Shared.Return(_bytes);
        }
        _bytes = null;
        _length = 0;
    }
}

/// <summary>
/// Lets <see cref="Appliance.Protocols.Http.ChunkedBodyDecoder"/> write decoded data straight into a
/// sink through a small scratch array; one per connection, started again for each body.
/// </summary>
internal sealed class ChunkedBodySink : IBufferWriter<byte>
{
    private readonly byte[] _scratch = new byte[4096];
    private IBodySink _sink = DiscardSink.Instance;

    public ChunkedBodySink()
    {
    }

    public ChunkedBodySink(IBodySink sink) => _sink = sink;

    public long Written { get; private set; }

    public void Start(IBodySink sink)
    {
        _sink = sink;
        Written = 0;
    }

    public void Advance(int count)
    {
        _sink.Write(_scratch.AsSpan(0, count));
        Written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0) => _scratch;

    public Span<byte> GetSpan(int sizeHint = 0) => _scratch;
}

/// <summary>
/// A whole small body (a playlist, an MPD) in an array this sink keeps and reuses: a player that
/// reloads several times a second allocates nothing once it has seen its largest.
/// </summary>
internal class ReusableBody : IBodySink
{
    private byte[] _bytes = new byte[4096];

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Span => _bytes.AsSpan(0, Length);

    /// <summary>The bytes, writable: a parser may decode in place (XML entities only shorten).</summary>
    protected Span<byte> Writable => _bytes.AsSpan(0, Length);

    public void Clear() => Length = 0;

    public void Write(ReadOnlySpan<byte> data)
    {
        if (Length + data.Length > _bytes.Length)
        {
            Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, Length + data.Length));
        }
        data.CopyTo(_bytes.AsSpan(Length));
        Length += data.Length;
    }
}
