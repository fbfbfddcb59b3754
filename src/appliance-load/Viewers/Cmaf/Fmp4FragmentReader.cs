using System.Buffers.Binary;
using Appliance.Load.Viewers.Http;

namespace Appliance.Load.Viewers.Cmaf;

/// <summary>Told of each CMAF chunk (moof + mdat) of a body as its last byte arrives.</summary>
internal interface IFragmentListener
{
    /// <param name="index">The chunk's place in the body: a part, or a chunk of an LL-DASH segment, is chunk 0, 1, ...</param>
    /// <param name="samples">The samples its trun boxes declare.</param>
    void OnFragment(int index, int samples);
}

/// <summary>
/// Walks the ISO BMFF boxes of a CMAF part or segment as it streams in, piece by piece, without
/// holding it: box headers are checked (a size below the header, or a child past its parent's end,
/// is malformed), moof and traf are entered to read each trun's sample count, everything else is
/// skipped. Each mdat that follows a moof completes a chunk; the listener hears of it at once, so an
/// LL-DASH segment sent chunk by chunk is timed chunk by chunk.
/// </summary>
internal sealed class Fmp4FragmentReader : IBodySink
{
    private const int MaxDepth = 4;
    private const int HeaderBytes = 8;
    private const int LargeHeaderBytes = 16;

    // A trun's version, flags and sample_count.
    private const int TrunFieldBytes = 8;

    private readonly byte[] _header = new byte[LargeHeaderBytes];
    private readonly long[] _containerEnds = new long[MaxDepth];
    private IFragmentListener? _listener;
    private GlassToGlass? _stamps;
    private int _fill;
    private int _need;
    private bool _inTrun;
    private long _trunEnd;
    private long _position;
    private long _skipUntil;
    private long _mdatEnd;
    private int _depth;
    private int _moofSamples;
    private bool _sawMoof;

    /// <summary>Chunks completed in this body.</summary>
    public int Fragments { get; private set; }

    /// <summary>Samples of the completed chunks of this body.</summary>
    public long Samples { get; private set; }

    /// <summary>Why the body is not well-formed ISO BMFF; null while it is.</summary>
    public string? Problem { get; private set; }

    /// <summary>Ready for a new body; <paramref name="stamps"/> (video tracks) hears of the latency stamps in its mdat boxes.</summary>
    public void Begin(IFragmentListener? listener, GlassToGlass? stamps = null)
    {
        _listener = listener;
        _stamps = stamps;
        stamps?.ResetScan();
        _fill = 0;
        _need = HeaderBytes;
        _inTrun = false;
        _position = 0;
        _skipUntil = 0;
        _mdatEnd = -1;
        _depth = 0;
        _moofSamples = 0;
        _sawMoof = false;
        Fragments = 0;
        Samples = 0;
        Problem = null;
    }

    /// <summary>The body ended: a box cut short is malformed. Null if the body is whole.</summary>
    public string? End()
    {
        if (Problem is null && (_fill > 0 || _inTrun || _skipUntil > _position || _depth > 0))
        {
            Problem = $"a box cut short at byte {_position + _fill}";
        }
        return Problem;
    }

    public void Write(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty && Problem is null)
        {
            if (_skipUntil > _position)
            {
                var skip = (int)Math.Min(data.Length, _skipUntil - _position);
                if (_stamps is not null && _skipUntil == _mdatEnd)
                {
                    _stamps.Scan(data[..skip]);
                }
                data = data[skip..];
                Advance(skip);
                continue;
            }
            var take = Math.Min(data.Length, _need - _fill);
            data[..take].CopyTo(_header.AsSpan(_fill));
            _fill += take;
            data = data[take..];
            if (_fill < _need)
            {
                continue;
            }
            if (_inTrun)
            {
                OnTrunFields();
            }
            else
            {
                OnHeader();
            }
        }
    }

    private void OnHeader()
    {
        var size = (long)BinaryPrimitives.ReadUInt32BigEndian(_header);
        if (size == 1 && _need == HeaderBytes)
        {
            _need = LargeHeaderBytes;
            return;
        }
        var headerLength = _need;
        if (size == 1)
        {
            size = BinaryPrimitives.ReadInt64BigEndian(_header.AsSpan(HeaderBytes));
        }
        _fill = 0;
        _need = HeaderBytes;
        var type = _header.AsSpan(4, 4);
        var end = _position + size;
        var isMoof = type.SequenceEqual("moof"u8);
        var isTraf = type.SequenceEqual("traf"u8);
        var isTrun = type.SequenceEqual("trun"u8);
        var problem = size < headerLength ? "shorter than its header"
            : _depth > 0 && end > _containerEnds[_depth - 1] ? "past the end of its parent"
            : isMoof && _depth > 0 ? "inside another box"
            : (isTraf || isTrun) && _depth == 0 ? "outside a moof"
            : isTrun && size < headerLength + TrunFieldBytes ? "too short for its sample count"
            : (isMoof || isTraf) && _depth == MaxDepth ? $"nested deeper than {MaxDepth}"
            : null;
        if (problem is not null)
        {
            Problem = $"a '{Printable(type)}' box of {size} bytes at byte {_position}, {problem}";
            return;
        }
        if (isMoof || isTraf)
        {
            if (isMoof)
            {
                _sawMoof = true;
                _moofSamples = 0;
            }
            _containerEnds[_depth++] = end;
        }
        else if (isTrun)
        {
            _inTrun = true;
            _trunEnd = end;
        }
        else
        {
            _skipUntil = end;
            if (_depth == 0 && _sawMoof && type.SequenceEqual("mdat"u8))
            {
                _mdatEnd = end;
            }
        }
        Advance(headerLength);
    }

    private void OnTrunFields()
    {
        _moofSamples += (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(_header.AsSpan(4)), int.MaxValue);
        _inTrun = false;
        _fill = 0;
        _need = HeaderBytes;
        _skipUntil = _trunEnd;
        Advance(TrunFieldBytes);
    }

    private void Advance(long bytes)
    {
        _position += bytes;
        if (_position == _mdatEnd)
        {
            _mdatEnd = -1;
            _sawMoof = false;
            Fragments++;
            Samples += _moofSamples;
            _listener?.OnFragment(Fragments - 1, _moofSamples);
        }
        while (_depth > 0 && _position >= _containerEnds[_depth - 1])
        {
            _depth--;
        }
    }

    private static string Printable(ReadOnlySpan<byte> type)
    {
        Span<char> text = stackalloc char[4];
        for (var i = 0; i < 4; i++)
        {
            text[i] = type[i] is >= 0x20 and < 0x7f ? (char)type[i] : '?';
        }
        return new string(text);
    }
}
