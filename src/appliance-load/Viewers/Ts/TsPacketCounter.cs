using Appliance.Load.Viewers.Http;

namespace Appliance.Load.Viewers.Ts;

/// <summary>
/// Reads an MPEG-TS byte stream as a player's demuxer would at its first layer, and no further:
/// 188-byte packets and their sync bytes (losing and regaining sync is counted), the PAT and PMT
/// (to learn which PID carries video), and the start of each PES (one coded frame, as our muxer
/// and most others write them), with random_access_indicator marking keyframes. Continuity
/// counters are checked on the elementary streams. Data may arrive split anywhere; a packet cut
/// between two reads waits in a 188-byte carry. Written by one viewer only.
/// </summary>
internal sealed class TsPacketCounter : IBodySink
{
    public const int PacketSize = 188;
    private const byte SyncByte = 0x47;
    private const int PatPid = 0;
    private const int NoPid = -1;

    /// <summary>The latency stamp is among the first NAL units of an access unit: only this many packets of each video PES are searched.</summary>
    private const int StampPackets = 8;

    private readonly ViewerStats? _live;
    private readonly GlassToGlass? _stamps;
    private int _videoPackets;
    private byte[]? _carry;
    private int _carried;
    private bool _inSync = true;
    private int _pmtPid = NoPid;
    private int _videoPid = NoPid;
    private int _audioPid = NoPid;
    private int _videoCc = NoPid;
    private int _audioCc = NoPid;

    // Of the current unit (an HLS segment; the whole body for HTTP-TS).
    private int _firstPid = NoPid;
    private long _unitSyncLosses;
    private bool _unitPat;
    private bool _unitPsi;
    private bool _unitEsBeforePsi;
    private bool _unitKeyFrame;
    private long _unitVideoFrames;

    /// <param name="live">HTTP-TS: every PES start is media for these stats (gaps, first keyframe); HLS passes null.</param>
    /// <param name="stamps">Where the latency stamps of the video go; null: not read.</param>
    public TsPacketCounter(ViewerStats? live, GlassToGlass? stamps = null)
    {
        _live = live;
        _stamps = stamps;
    }

    public long Packets { get; private set; }

    /// <summary>Times a packet did not start with 0x47 where one was due (each loss counted once until sync is found again).</summary>
    public long SyncLosses { get; private set; }

    /// <summary>Bytes thrown away while looking for sync.</summary>
    public long SkippedBytes { get; private set; }

    /// <summary>Elementary-stream packets whose continuity_counter did not follow the previous one.</summary>
    public long ContinuityErrors { get; private set; }

    public long VideoFrames { get; private set; }

    /// <summary>Audio PES packets (a muxer may put several audio frames in one).</summary>
    public long AudioPes { get; private set; }

    public bool SawPat { get; private set; }

    public bool SawPmt => _videoPid != NoPid || _audioPid != NoPid;

    /// <summary>HLS: forget the previous segment's packet state (not the PIDs: a bad segment without PSI still counts).</summary>
    public void BeginUnit()
    {
        _carried = 0;
        _firstPid = NoPid;
        _unitSyncLosses = 0;
        _unitPat = false;
        _unitPsi = false;
        _unitEsBeforePsi = false;
        _unitKeyFrame = false;
        _unitVideoFrames = 0;
        _inSync = true;
        _videoCc = _audioCc = NoPid;
        _videoPackets = StampPackets;
    }

    /// <summary>
    /// What was wrong with the unit since <see cref="BeginUnit"/>, or null if nothing was: a segment
    /// a player cannot start decoding on its own (no PAT and PMT before the first audio or video
    /// packet), or one that is not whole packets in sync.
    /// </summary>
    public string? CheckUnit()
    {
        if (_firstPid == NoPid)
        {
            return _carried > 0 ? "is shorter than one TS packet" : "is empty";
        }
        if (_unitEsBeforePsi || !_unitPsi)
        {
            return "has audio or video before its PAT and PMT";
        }
        if (_unitSyncLosses > 0)
        {
            return "lost TS sync";
        }
        if (_carried > 0)
        {
            return "ends inside a TS packet";
        }
        return null;
    }

    /// <summary>
    /// RFC 8216 3.5: the first two packets of a segment SHOULD be a PAT and a PMT. A SHOULD, and
    /// ffmpeg puts an SDT first, so this is reported apart from malformed segments.
    /// </summary>
    public bool UnitStartsWithPat => _firstPid == PatPid;

    public long UnitVideoFrames => _unitVideoFrames;

    public bool UnitHasKeyFrame => _unitKeyFrame;

    public void Write(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            if (_carried > 0)
            {
                var take = Math.Min(PacketSize - _carried, data.Length);
                data[..take].CopyTo(_carry.AsSpan(_carried));
                _carried += take;
                data = data[take..];
                if (_carried == PacketSize)
                {
                    _carried = 0;
                    Packet(_carry!);
                }
                continue;
            }
            if (data[0] != SyncByte)
            {
                LoseSync(ref data);
                continue;
            }
            while (data.Length >= PacketSize && data[0] == SyncByte)
            {
                Packet(data[..PacketSize]);
                data = data[PacketSize..];
            }
            if (!data.IsEmpty && data.Length < PacketSize && data[0] == SyncByte)
            {
                _carry ??= new byte[PacketSize];
                data.CopyTo(_carry);
                _carried = data.Length;
                data = default;
            }
        }
    }

    private void LoseSync(ref ReadOnlySpan<byte> data)
    {
        if (_inSync)
        {
            _inSync = false;
            SyncLosses++;
            _unitSyncLosses++;
        }
        var next = data.IndexOf(SyncByte);
        var skip = next < 0 ? data.Length : next;
        SkippedBytes += skip;
        data = data[skip..];
    }

    private void Packet(ReadOnlySpan<byte> p)
    {
        _inSync = true;
        Packets++;
        var pid = ((p[1] & 0x1F) << 8) | p[2];
        var unitStart = (p[1] & 0x40) != 0;
        var control = (p[3] >> 4) & 0x3;
        var hasPayload = (control & 1) != 0;
        if (_firstPid == NoPid)
        {
            _firstPid = pid;
        }
        var payload = 4;
        var randomAccess = false;
        if ((control & 2) != 0)
        {
            var length = p[4];
            randomAccess = length > 0 && (p[5] & 0x40) != 0;
            payload = 5 + length;
        }
        if (payload > PacketSize)
        {
            return;
        }
        if (pid == _videoPid || pid == _audioPid)
        {
            _unitEsBeforePsi |= !_unitPsi;
            Elementary(pid == _videoPid, p[3] & 0xF, hasPayload, unitStart, randomAccess);
            if (_stamps is not null && pid == _videoPid && hasPayload)
            {
                Stamps(p[payload..], unitStart);
            }
        }
        else if (unitStart && hasPayload && (pid == PatPid || pid == _pmtPid))
        {
            Psi(pid, p[payload..]);
        }
    }

    private void Elementary(bool video, int cc, bool hasPayload, bool unitStart, bool randomAccess)
    {
        ref var last = ref video ? ref _videoCc : ref _audioCc;
        // Only packets with a payload advance the counter (ISO/IEC 13818-1 2.4.3.3).
        if (hasPayload)
        {
            if (last != NoPid && cc != ((last + 1) & 0xF) && cc != last)
            {
                ContinuityErrors++;
            }
            last = cc;
        }
        if (!unitStart || !hasPayload)
        {
            return;
        }
        var keyFrame = video && randomAccess;
        if (video)
        {
            VideoFrames++;
            _unitVideoFrames++;
            _unitKeyFrame |= keyFrame;
        }
        else
        {
            AudioPes++;
        }
        _live?.OnMedia(video, keyFrame);
    }

    private void Stamps(ReadOnlySpan<byte> payload, bool unitStart)
    {
        if (unitStart)
        {
            _stamps!.ResetScan();
            _videoPackets = 0;
        }
        if (_videoPackets++ < StampPackets)
        {
            _stamps!.Scan(payload);
        }
    }

    /// <summary>A PAT or PMT section that fits in its packet (all that live muxers write).</summary>
    private void Psi(int pid, ReadOnlySpan<byte> payload)
    {
        var pointer = payload[0];
        if (1 + pointer + 3 > payload.Length)
        {
            return;
        }
        var section = payload[(1 + pointer)..];
        var sectionLength = ((section[1] & 0x0F) << 8) | section[2];
        // Header to the end of the section without its CRC.
        var end = 3 + sectionLength - 4;
        if (end > section.Length || sectionLength < 9)
        {
            return;
        }
        if (pid == PatPid && section[0] == 0x00)
        {
            SawPat = true;
            _unitPat = true;
            for (var i = 8; i + 4 <= end; i += 4)
            {
                var program = (section[i] << 8) | section[i + 1];
                if (program != 0)
                {
                    _pmtPid = ((section[i + 2] & 0x1F) << 8) | section[i + 3];
                    break;
                }
            }
        }
        else if (pid == _pmtPid && section[0] == 0x02 && sectionLength >= 13)
        {
            var infoLength = ((section[10] & 0x0F) << 8) | section[11];
            int video = NoPid, audio = NoPid;
            for (var i = 12 + infoLength; i + 5 <= end; i += 5 + (((section[i + 3] & 0x0F) << 8) | section[i + 4]))
            {
                var esPid = ((section[i + 1] & 0x1F) << 8) | section[i + 2];
                switch (section[i])
                {
                    case 0x01 or 0x02 or 0x10 or 0x1B or 0x24 or 0x33 when video == NoPid:
                        video = esPid;
                        break;
                    case 0x03 or 0x04 or 0x0F or 0x11 or 0x81 or 0x87 when audio == NoPid:
                        audio = esPid;
                        break;
                }
            }
            _videoPid = video;
            _audioPid = audio;
            _unitPsi = _unitPat;
        }
    }
}
