using System.Buffers.Binary;
using Appliance.Codecs.Flv;
using Appliance.Load.Viewers.Http;

namespace Appliance.Load.Viewers;

/// <summary>
/// Counts an HTTP-FLV body tag by tag as it streams past and tells the viewer's stats about each,
/// without holding a tag: it keeps the tag header in progress and the first bytes of a video tag
/// (frame type, and the latency stamp when the run reads them), nothing else. Bytes may be split
/// anywhere. The same checks as <see cref="FlvStreamReader"/> (signature, data offset, tag type,
/// PreviousTagSize) but for the size limit, which guards an allocation this counter never makes;
/// a malformed body throws <see cref="FlvFormatException"/>.
/// </summary>
internal sealed class FlvTagCounter : IBodySink
{
    /// <summary>Enough of a video tag for its header (legacy or enhanced, multitrack included).</summary>
    public const int VideoHeadBytes = 32;

    private const int FileHeaderLength = 9;
    private const int MaxDataOffset = 1024;

    private readonly ViewerStats? _stats;
    private readonly int _headSize;
    private readonly byte[] _scratch = new byte[FlvTagHeader.Length];
    private byte[]? _head;
    private State _state = State.FileHeader;
    private int _have;
    private int _skip;
    private int _dataSize;
    private FlvTagType _type;

    private enum State
    {
        FileHeader,
        SkipToFirstTag,
        TagHeader,
        TagData,
        Trailer,
    }

    /// <param name="stats">The viewer told about each tag; null counts only (tests).</param>
    public FlvTagCounter(ViewerStats? stats)
    {
        _stats = stats;
        _headSize = stats?.Latency is null ? VideoHeadBytes : GlassToGlass.FrameHeadBytes;
    }

    public long Tags { get; private set; }

    public long VideoFrames { get; private set; }

    public long KeyFrames { get; private set; }

    public void Write(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            switch (_state)
            {
                case State.FileHeader:
                    if (Gather(ref data, FileHeaderLength))
                    {
                        CheckFileHeader();
                    }
                    else
                    {
                        CheckSignature();
                    }
                    break;
                case State.SkipToFirstTag:
                    var skipped = Math.Min(_skip, data.Length);
                    // PreviousTagSize0 is the last 4 bytes skipped, and must be 0.
                    for (var i = 0; i < skipped; i++)
                    {
                        if (_skip - i <= 4 && data[i] != 0)
                        {
                            throw new FlvFormatException("FLV PreviousTagSize0 is not 0.");
                        }
                    }
                    _skip -= skipped;
                    data = data[skipped..];
                    if (_skip == 0)
                    {
                        _state = State.TagHeader;
                    }
                    break;
                case State.TagHeader:
                    var whole = Gather(ref data, FlvTagHeader.Length);
                    CheckTagHeader(whole);
                    break;
                case State.TagData:
                    var take = Math.Min(_dataSize - _have, data.Length);
                    if (_type == FlvTagType.Video && _have < _headSize)
                    {
                        _head ??= new byte[_headSize];
                        data[..Math.Min(take, _headSize - _have)].CopyTo(_head.AsSpan(_have));
                    }
                    _have += take;
                    data = data[take..];
                    if (_have == _dataSize)
                    {
                        _have = 0;
                        _state = State.Trailer;
                    }
                    break;
                default:
                    if (Gather(ref data, 4))
                    {
                        EndTag();
                    }
                    break;
            }
        }
    }

    /// <summary>Copies into the scratch until it holds <paramref name="length"/> bytes; true once it does (and resets the count).</summary>
    private bool Gather(ref ReadOnlySpan<byte> data, int length)
    {
        var take = Math.Min(length - _have, data.Length);
        data[..take].CopyTo(_scratch.AsSpan(_have));
        _have += take;
        data = data[take..];
        return _have == length;
    }

    /// <summary>A non-FLV response fails on its first bytes instead of after 13.</summary>
    private void CheckSignature()
    {
        ReadOnlySpan<byte> signature = "FLV"u8;
        for (var i = 0; i < Math.Min(_have, signature.Length); i++)
        {
            if (_scratch[i] != signature[i])
            {
                throw new FlvFormatException("Not an FLV stream: bad signature.");
            }
        }
    }

    private void CheckFileHeader()
    {
        CheckSignature();
        var dataOffset = BinaryPrimitives.ReadUInt32BigEndian(_scratch.AsSpan(5));
        if (dataOffset is < FileHeaderLength or > MaxDataOffset)
        {
            throw new FlvFormatException($"FLV header DataOffset {dataOffset} is outside {FileHeaderLength}..{MaxDataOffset}.");
        }
        _have = 0;
        _skip = (int)dataOffset - FileHeaderLength + 4;
        _state = State.SkipToFirstTag;
    }

    /// <summary>Rejects an unknown tag type as soon as its first byte shows it.</summary>
    private void CheckTagHeader(bool whole)
    {
        var typeByte = _scratch[0];
        var type = (FlvTagType)(typeByte & 0x3F);
        if (type is not (FlvTagType.Audio or FlvTagType.Video or FlvTagType.Script))
        {
            throw new FlvFormatException($"Unknown FLV tag type 0x{typeByte:X2}.");
        }
        if (!whole)
        {
            return;
        }
        var size = _scratch[1] << 16 | _scratch[2] << 8 | _scratch[3];
        _type = type;
        _dataSize = size;
        _have = 0;
        _state = size == 0 ? State.Trailer : State.TagData;
    }

    private void EndTag()
    {
        var previousTagSize = BinaryPrimitives.ReadUInt32BigEndian(_scratch);
        if (previousTagSize != (uint)(FlvTagHeader.Length + _dataSize))
        {
            throw new FlvFormatException($"FLV PreviousTagSize {previousTagSize} does not match the tag size {FlvTagHeader.Length + _dataSize}.");
        }
        _have = 0;
        _state = State.TagHeader;
        Tags++;
        var keyFrame = false;
        var videoFrame = false;
        if (_type == FlvTagType.Video)
        {
            var head = _head.AsSpan(0, Math.Min(_dataSize, _headSize));
            videoFrame = VideoFrameCheck.IsCodedFrame(head, out keyFrame);
            if (videoFrame)
            {
                VideoFrames++;
                KeyFrames += keyFrame ? 1 : 0;
                _stats?.Latency?.OnFrame(head);
            }
        }
        _stats?.OnMedia(videoFrame, keyFrame);
    }
}
