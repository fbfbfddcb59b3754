using System.Buffers.Binary;
using Appliance.Codecs.Avc;
using Appliance.Codecs.Hevc;
using Appliance.Codecs.MpegTs;
using Appliance.Core.Buffers;
using Appliance.Streaming.Logging;

namespace Appliance.Streaming.Ingest;

// Video: an Annex-B access unit becomes one FLV video tag of length-prefixed NAL units, H.264 in
// the legacy AVC form, H.265 in enhanced RTMP's ('hvc1' FourCC, as RTMP publishers send it); the
// parameter sets are taken out of the frame and sent as a sequence header when they change.
public sealed partial class TsIngest
{
    private const int AvcHeaderLength = 5;
    private const int HevcHeaderLength = 8;
    private const int HevcSequenceStart = 0;
    private const int HevcCodedFrames = 1;

    /// <summary>Media time without a video keyframe after which the stream says so (once per such stretch).</summary>
    public const long KeyFrameGapWarningMs = 60_000;

    private readonly List<byte[]> _vps = [];
    private readonly List<byte[]> _sps = [];
    private readonly List<byte[]> _pps = [];
    private byte[]? _videoRecord;
    private long _lastKeyFrameMs = -1;
    private bool _keyFrameGapLogged;

    private enum NalRole
    {
        Frame,
        Vps,
        Sps,
        Pps,
        Skip,
    }

    private void AcceptVideo(in TsAccessUnit unit, bool hevc)
    {
        var dts = _clock.Extend(unit.Dts);
        var pts = dts + Ts33Clock.Delta(unit.Dts, unit.Pts);
        var ms = dts / TsTimestamp.TicksPerMillisecond;
        var payload = unit.Payload.Span;
        _vps.Clear();
        _sps.Clear();
        _pps.Clear();
        var headerLength = hevc ? HevcHeaderLength : AvcHeaderLength;
        var bodyLength = headerLength;
        var reader = new AnnexBReader(payload);
        while (reader.TryReadNext(out var nal))
        {
            switch (Role(nal, hevc))
            {
                case NalRole.Vps:
                    _vps.Add(nal.ToArray());
                    break;
                case NalRole.Sps:
                    _sps.Add(nal.ToArray());
                    break;
                case NalRole.Pps:
                    _pps.Add(nal.ToArray());
                    break;
                case NalRole.Frame:
                    bodyLength += 4 + nal.Length;
                    break;
            }
        }
        var record = _sps.Count == 0 || _pps.Count == 0 ? null
            : hevc ? HevcRecordBuilder.Create(_vps, _sps, _pps) : AvcRecordBuilder.Create(_sps, _pps);
        if (record is not null && (_videoRecord is null || !record.AsSpan().SequenceEqual(_videoRecord)))
        {
            _videoRecord = record;
            Publish(VideoTag, ms, SequenceHeader(record, hevc));
        }
        if (_videoRecord is null)
        {
            Drop(ref _videoBeforeHeader, "video before its parameter sets",
                hevc ? "H.265 access unit before any VPS, SPS and PPS" : "H.264 access unit before any SPS and PPS");
            return;
        }
        if (bodyLength == headerLength)
        {
            return;
        }
        var body = SharedBuffer.Rent(bodyLength);
        var span = body.FullSpan;
        var cts = (int)Math.Clamp((pts - dts) / TsTimestamp.TicksPerMillisecond, -0x800000, 0x7FFFFF);
        if (hevc)
        {
            span[0] = (byte)(0x80 | ((unit.IsKeyFrame ? 1 : 2) << 4) | HevcCodedFrames);
            "hvc1"u8.CopyTo(span[1..]);
        }
        else
        {
            span[0] = unit.IsKeyFrame ? (byte)0x17 : (byte)0x27;
            span[1] = 1;
        }
        span[headerLength - 3] = (byte)(cts >> 16);
        span[headerLength - 2] = (byte)(cts >> 8);
        span[headerLength - 1] = (byte)cts;
        var offset = headerLength;
        reader = new AnnexBReader(payload);
        while (reader.TryReadNext(out var nal))
        {
            if (Role(nal, hevc) != NalRole.Frame)
            {
                continue;
            }
            BinaryPrimitives.WriteInt32BigEndian(span[offset..], nal.Length);
            nal.CopyTo(span[(offset + 4)..]);
            offset += 4 + nal.Length;
        }
        body.Length = offset;
        Publish(VideoTag, ms, body);
        WatchKeyFrames(unit.IsKeyFrame, ms);
    }

    // An encoder that stops sending keyframes leaves new viewers (and HLS/CMAF cuts) waiting: said once per stretch.
    private void WatchKeyFrames(bool key, long ms)
    {
        if (key || _lastKeyFrameMs < 0)
        {
            _lastKeyFrameMs = ms;
            _keyFrameGapLogged = false;
            return;
        }
        if (!_keyFrameGapLogged && ms - _lastKeyFrameMs >= KeyFrameGapWarningMs)
        {
            _keyFrameGapLogged = true;
            StreamLog.Packaging(_logger, StreamName,
                $"no video keyframe for {(ms - _lastKeyFrameMs) / 1000} s of media; new viewers wait for the next one");
        }
    }

    private static NalRole Role(ReadOnlySpan<byte> nal, bool hevc) => hevc
        ? NalUnitTypes.H265Type(nal[0]) switch
        {
            NalUnitTypes.H265Vps => NalRole.Vps,
            NalUnitTypes.H265Sps => NalRole.Sps,
            NalUnitTypes.H265Pps => NalRole.Pps,
            NalUnitTypes.H265Aud => NalRole.Skip,
            _ => NalRole.Frame,
        }
        : NalUnitTypes.H264Type(nal[0]) switch
        {
            NalUnitTypes.H264Sps => NalRole.Sps,
            NalUnitTypes.H264Pps => NalRole.Pps,
            NalUnitTypes.H264Aud => NalRole.Skip,
            _ => NalRole.Frame,
        };

    // AVC: key frame, AVC, packet type 0, composition time 0. HEVC: enhanced RTMP SequenceStart, 'hvc1'.
    private static SharedBuffer SequenceHeader(byte[] record, bool hevc)
    {
        var header = SharedBuffer.Rent(5 + record.Length);
        var span = header.FullSpan;
        if (hevc)
        {
            span[0] = 0x80 | (1 << 4) | HevcSequenceStart;
            "hvc1"u8.CopyTo(span[1..]);
        }
        else
        {
            span[..5].Clear();
            span[0] = 0x17;
        }
        record.CopyTo(span[5..]);
        header.Length = 5 + record.Length;
        return header;
    }
}
