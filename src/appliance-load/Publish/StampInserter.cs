using Appliance.Codecs.Avc;
using Appliance.Codecs.Flv;
using Appliance.Codecs.Hevc;

namespace Appliance.Load.Publish;

/// <summary>
/// Puts a latency stamp (<see cref="SeiStamp"/>) in front of the NAL units of an H.264 or H.265
/// video payload (FLV/RTMP, legacy or enhanced): an SEI NAL unit before the frame's own, which is
/// where H.264 7.4.1.2.3 and H.265 7.4.2.4.4 put SEI (before the first slice). Into one buffer
/// the inserter keeps and grows, so a publisher allocates nothing per frame.
/// </summary>
internal sealed class StampInserter
{
    private readonly int _nalLengthSize;
    private byte[] _buffer = new byte[64 * 1024];

    public StampInserter(int nalLengthSize)
    {
        if (nalLengthSize is not (1 or 2 or 4))
        {
            throw new ArgumentOutOfRangeException(nameof(nalLengthSize), nalLengthSize, "NAL lengths are 1, 2 or 4 bytes");
        }
        _nalLengthSize = nalLengthSize;
    }

    /// <summary>
    /// The payload with the stamp, valid until the next call; the payload as it is when it is not
    /// an H.264 or H.265 coded frame (sequence headers and other codecs pass unstamped).
    /// </summary>
    public ReadOnlyMemory<byte> Stamp(byte[] payload, long unixMicroseconds, out bool stamped)
    {
        stamped = false;
        if (!VideoTagInfo.TryParse(payload, out var info) || info.Kind != VideoPacketKind.CodedFrames
            || info.Codec is not (VideoCodec.Avc or VideoCodec.Hevc) || payload.Length < info.HeaderLength)
        {
            return payload;
        }
        var needed = payload.Length + _nalLengthSize + SeiStamp.MaxNalLength;
        if (_buffer.Length < needed)
        {
            _buffer = new byte[needed * 2];
        }
        var span = _buffer.AsSpan();
        payload.AsSpan(0, info.HeaderLength).CopyTo(span);
        var nal = span[(info.HeaderLength + _nalLengthSize)..];
        var length = info.Codec == VideoCodec.Hevc ? HevcSeiStamp.WriteNal(nal, unixMicroseconds) : SeiStamp.WriteH264Nal(nal, unixMicroseconds);
        var prefix = span.Slice(info.HeaderLength, _nalLengthSize);
        for (var i = 0; i < _nalLengthSize; i++)
        {
            prefix[i] = (byte)(length >> (8 * (_nalLengthSize - 1 - i)));
        }
        var rest = info.HeaderLength + _nalLengthSize + length;
        payload.AsSpan(info.HeaderLength).CopyTo(span[rest..]);
        stamped = true;
        return _buffer.AsMemory(0, rest + payload.Length - info.HeaderLength);
    }
}
