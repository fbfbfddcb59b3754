using System.Diagnostics;
using Appliance.Codecs.Aac;

namespace Appliance.Codecs.MpegTs;

/// <summary>
/// Turns one stream's frames into MPEG-TS packets, once, for every HTTP-TS viewer and HLS segment
/// of that stream. Frames go in decode order from one thread; each call writes whole 188-byte
/// packets into the caller's span (size it with <see cref="MaxVideoLength"/> or
/// <see cref="MaxAudioLength"/>), preceded by the PAT and PMT when they are due. The muxer keeps
/// only continuity counters, the configuration and when the tables last went out.
/// </summary>
/// <remarks>
/// Layout: PMT on PID 0x1000, video on 0x100 (stream type 0x1B or 0x24), audio on 0x101 (0x0F);
/// the PMT lists only the tracks configured. The PCR rides on the first packet of every video PES
/// (every audio PES when there is no video), equal to the frame's DTS. PAT and PMT go out before
/// every video keyframe, whenever the PMT changes, and otherwise once 100 ms of media time has
/// passed since the last time (or the clock jumped back by as much).
/// </remarks>
public sealed class TsMuxer
{
    public const int PmtPid = 0x1000;
    public const int VideoPid = 0x100;
    public const int AudioPid = 0x101;
    public const int PsiIntervalMs = 100;

    /// <summary>The largest video frame (FLV codec payload) accepted; far above any real frame.</summary>
    public const int MaxFrameLength = 32 * 1024 * 1024;

    private const int PsiLength = 2 * TsPacket.Size;

    private readonly byte[] _pat = new byte[TsPacket.Size];
    private readonly byte[] _pmt = new byte[TsPacket.Size];
    private VideoTrack? _video;
    private AdtsHeader _adts;
    private bool _hasAudio;
    private TsStreamType? _pmtVideoType;
    private bool _pmtHasAudio;
    // The PMT version_number (0-31), bumped when the set of tracks or a video codec changes after
    // the PMT went out; -1 before any config.
    private int _pmtVersion = -1;
    private bool _pmtSent;
    private bool _psiDue = true;
    private long _lastPsiMs;
    private int _patCounter;
    private int _pmtCounter;
    private int _videoCounter;
    private int _audioCounter;

    public TsMuxer()
    {
        PsiPackets.WritePat(_pat, PmtPid);
    }

    public bool HasVideo => _video is not null;

    public bool HasAudio => _hasAudio;

    /// <summary>
    /// Why the last video configuration was refused, the record named ("the
    /// AVCDecoderConfigurationRecord has no SPS"); null when the last one was accepted or none came.
    /// </summary>
    public string? VideoConfigProblem { get; private set; }

    /// <summary>Sets the H.264 track from an AVCDecoderConfigurationRecord (the FLV sequence header payload).</summary>
    public TsMuxStatus SetAvcConfig(ReadOnlySpan<byte> record) =>
        SetVideo(VideoTrack.FromAvcRecord(record, out var problem), "AVCDecoderConfigurationRecord", problem);

    /// <summary>Sets the H.265 track from an HEVCDecoderConfigurationRecord.</summary>
    public TsMuxStatus SetHevcConfig(ReadOnlySpan<byte> record) =>
        SetVideo(VideoTrack.FromHevcRecord(record, out var problem), "HEVCDecoderConfigurationRecord", problem);

    /// <summary>Sets the AAC track from an AudioSpecificConfig; HE-AAC is carried as its LC core.</summary>
    public TsMuxStatus SetAacConfig(ReadOnlySpan<byte> audioSpecificConfig)
    {
        if (!AudioSpecificConfig.TryParse(audioSpecificConfig, out var config) || !AdtsHeader.TryCreate(config, out var adts))
        {
            return TsMuxStatus.BadAudioConfig;
        }
        _adts = adts;
        _hasAudio = true;
        RebuildPmtIfChanged();
        return TsMuxStatus.Ok;
    }

    /// <summary>
    /// An upper bound on the bytes <see cref="WriteVideo"/> writes for a frame of
    /// <paramref name="frameLength"/> bytes under the current configuration (it counts the tables,
    /// the AUD, the parameter sets and the worst start-code growth of short length prefixes);
    /// 0 when such a frame would be refused outright.
    /// </summary>
    public int MaxVideoLength(int frameLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(frameLength);
        var track = _video;
        if (track is null || frameLength > MaxFrameLength)
        {
            return 0;
        }
        // Every unit written costs at least its prefix and one byte, and grows by 4 - prefix.
        var lengthSize = track.NalLengthSize;
        var maxNalUnits = frameLength / (lengthSize + 1);
        var esLength = track.MaxAccessUnitDelimiterLength + track.ParameterSets.Length + frameLength + (maxNalUnits * (AnnexBStartCode.Length - lengthSize));
        var packets = TsPacketizer.PacketCount(PesHeader.MaxLength + esLength, TsPacketizer.PcrAdaptationLength);
        return PsiLength + (packets * TsPacket.Size);
    }

    /// <summary>An upper bound on what <see cref="WriteAudio"/> writes for a raw AAC frame; 0 when it would be refused.</summary>
    public int MaxAudioLength(int frameLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(frameLength);
        if (!_hasAudio || frameLength > AdtsHeader.MaxPayloadLength)
        {
            return 0;
        }
        var packets = TsPacketizer.PacketCount(PesHeader.MaxLength + AdtsHeader.Length + frameLength, TsPacketizer.PcrAdaptationLength);
        return PsiLength + (packets * TsPacket.Size);
    }

    /// <summary>
    /// Muxes one video frame: <paramref name="frame"/> is the codec payload of an FLV video tag
    /// (length-prefixed NAL units, after <c>VideoTagInfo.HeaderLength</c>). The PES holds an AUD,
    /// then (before an IDR/IRAP picture that lacks them) the configured parameter sets, then the
    /// frame's NAL units with start codes; AUDs already in the frame are dropped. A frame is either
    /// written whole or, with a status saying why, not at all.
    /// </summary>
    /// <param name="dtsMs">Decode time in milliseconds.</param>
    /// <param name="compositionOffsetMs">PTS minus DTS in milliseconds (the FLV CompositionTime).</param>
    /// <param name="isKeyFrame">The FLV frame type said key; an IDR/IRAP in the frame counts too.</param>
    /// <exception cref="ArgumentException">The destination is shorter than the output (see <see cref="MaxVideoLength"/>).</exception>
    public TsMuxResult WriteVideo(Span<byte> destination, ReadOnlySpan<byte> frame, long dtsMs, int compositionOffsetMs, bool isKeyFrame)
    {
        var track = _video;
        if (track is null)
        {
            return TsMuxResult.Fail(TsMuxStatus.NoVideoConfig);
        }
        if (frame.Length > MaxFrameLength)
        {
            return TsMuxResult.Fail(TsMuxStatus.FrameTooLarge);
        }
        var scan = VideoFrameScan.Scan(track, frame);
        if (scan.Status != TsMuxStatus.Ok)
        {
            return TsMuxResult.Fail(scan.Status);
        }

        var insertParameterSets = scan.HasRandomAccessPicture && !scan.CarriesParameterSets;
        var aud = track.AccessUnitDelimiter;
        var esLength = aud.Length + (insertParameterSets ? track.ParameterSets.Length : 0) + scan.AnnexBLength;
        var dts = TsTimestamp.FromMilliseconds(dtsMs);
        var pts = TsTimestamp.FromMilliseconds(unchecked(dtsMs + compositionOffsetMs));
        var headerLength = PesHeader.Length(pts, dts);
        var pesLength = headerLength + esLength;
        var randomAccess = isKeyFrame || scan.HasRandomAccessPicture;
        var writePsi = IsPsiDue(dtsMs, randomAccess);
        var packets = TsPacketizer.PacketCount(pesLength, TsPacketizer.FirstAdaptationLength(hasPcr: true, randomAccess));
        var total = (writePsi ? PsiLength : 0) + (packets * TsPacket.Size);
        EnsureRoom(destination, total);

        var offset = writePsi ? WritePsi(destination, dtsMs) : 0;
        Span<byte> header = stackalloc byte[PesHeader.MaxLength];
        // A bounded length lets a demuxer hand the frame on as soon as its last byte arrives; an
        // unbounded one only when the next video PES starts, a frame later (mpegts.js then sees the
        // first audio before the first picture and starts the picture late, a gap at the start).
        var bounded = pesLength - 6 <= PesHeader.MaxPacketLength ? esLength : (int?)null;
        PesHeader.Write(header, PesHeader.VideoStreamId, pts, dts, bounded);
        var packetizer = new TsPacketizer(destination[offset..total], VideoPid, _videoCounter, pesLength, pcrBase: dts, randomAccess);
        packetizer.Append(header[..headerLength]);
        packetizer.Append(aud);
        if (insertParameterSets)
        {
            packetizer.Append(track.ParameterSets);
        }
        var audType = track.IsHevc ? NalUnitTypes.H265Aud : NalUnitTypes.H264Aud;
        var reader = new AvccNalReader(frame, track.NalLengthSize);
        while (reader.TryReadNext(out var nal))
        {
            if (track.NalType(nal[0]) != audType)
            {
                packetizer.Append(AnnexBStartCode.Bytes);
                packetizer.Append(nal);
            }
        }
        Debug.Assert(packetizer.Done && offset + packetizer.BytesWritten == total, "the PES length was measured wrong");
        _videoCounter = packetizer.ContinuityCounter;
        return new TsMuxResult(TsMuxStatus.Ok, total);
    }

    /// <summary>
    /// Muxes one raw AAC frame (the FLV AAC payload after its two header bytes) as an ADTS frame in
    /// its own PES. Every audio PES is marked random access; it carries the PCR when there is no video.
    /// </summary>
    /// <exception cref="ArgumentException">The destination is shorter than the output (see <see cref="MaxAudioLength"/>).</exception>
    public TsMuxResult WriteAudio(Span<byte> destination, ReadOnlySpan<byte> frame, long ptsMs)
    {
        if (!_hasAudio)
        {
            return TsMuxResult.Fail(TsMuxStatus.NoAudioConfig);
        }
        if (frame.IsEmpty)
        {
            return TsMuxResult.Fail(TsMuxStatus.EmptyFrame);
        }
        if (frame.Length > AdtsHeader.MaxPayloadLength)
        {
            return TsMuxResult.Fail(TsMuxStatus.FrameTooLarge);
        }
        var pts = TsTimestamp.FromMilliseconds(ptsMs);
        var headerLength = PesHeader.Length(pts, pts);
        var esLength = AdtsHeader.Length + frame.Length;
        var pesLength = headerLength + esLength;
        var hasPcr = _video is null;
        var writePsi = IsPsiDue(ptsMs, randomAccess: false);
        var packets = TsPacketizer.PacketCount(pesLength, TsPacketizer.FirstAdaptationLength(hasPcr, randomAccess: true));
        var total = (writePsi ? PsiLength : 0) + (packets * TsPacket.Size);
        EnsureRoom(destination, total);

        var offset = writePsi ? WritePsi(destination, ptsMs) : 0;
        Span<byte> header = stackalloc byte[PesHeader.MaxLength + AdtsHeader.Length];
        PesHeader.Write(header, PesHeader.AudioStreamId, pts, pts, esLength);
        _adts.Write(header[headerLength..], frame.Length);
        var packetizer = new TsPacketizer(destination[offset..total], AudioPid, _audioCounter, pesLength, hasPcr ? pts : -1, randomAccess: true);
        packetizer.Append(header[..(headerLength + AdtsHeader.Length)]);
        packetizer.Append(frame);
        Debug.Assert(packetizer.Done && offset + packetizer.BytesWritten == total, "the PES length was measured wrong");
        _audioCounter = packetizer.ContinuityCounter;
        return new TsMuxResult(TsMuxStatus.Ok, total);
    }

    private static void EnsureRoom(Span<byte> destination, int total)
    {
        if (destination.Length < total)
        {
            throw new ArgumentException($"The destination holds {destination.Length} bytes; this frame needs {total}.", nameof(destination));
        }
    }

    private TsMuxStatus SetVideo(VideoTrack? track, string record, string problem)
    {
        if (track is null)
        {
            VideoConfigProblem = $"the {record} {problem}";
            return TsMuxStatus.BadVideoConfig;
        }
        VideoConfigProblem = null;
        _video = track;
        RebuildPmtIfChanged();
        return TsMuxStatus.Ok;
    }

    // A new parameter set with the same codec needs no new PMT: players pick it up in-band. A PMT
    // no one has seen yet changes without a new version, so the usual start (both sequence
    // headers, then frames) announces version 0.
    private void RebuildPmtIfChanged()
    {
        var videoType = _video?.StreamType;
        if (_pmtVersion >= 0 && videoType == _pmtVideoType && _hasAudio == _pmtHasAudio)
        {
            return;
        }
        _pmtVideoType = videoType;
        _pmtHasAudio = _hasAudio;
        if (_pmtVersion < 0 || _pmtSent)
        {
            _pmtVersion = (_pmtVersion + 1) & 0x1F;
        }
        _pmtSent = false;
        Span<(TsStreamType, int)> streams = stackalloc (TsStreamType, int)[2];
        var count = 0;
        if (videoType is { } type)
        {
            streams[count++] = (type, VideoPid);
        }
        if (_hasAudio)
        {
            streams[count++] = (TsStreamType.AacAdts, AudioPid);
        }
        PsiPackets.WritePmt(_pmt, PmtPid, _pmtVersion, videoType is null ? AudioPid : VideoPid, streams[..count]);
        _psiDue = true;
    }

    private bool IsPsiDue(long timeMs, bool randomAccess)
    {
        var sinceLast = unchecked(timeMs - _lastPsiMs);
        return _psiDue || randomAccess || sinceLast >= PsiIntervalMs || sinceLast <= -PsiIntervalMs;
    }

    private int WritePsi(Span<byte> destination, long timeMs)
    {
        _pat.CopyTo(destination);
        PsiPackets.SetContinuityCounter(destination, _patCounter);
        _patCounter = (_patCounter + 1) & 0x0F;
        var pmt = destination[TsPacket.Size..];
        _pmt.CopyTo(pmt);
        PsiPackets.SetContinuityCounter(pmt, _pmtCounter);
        _pmtCounter = (_pmtCounter + 1) & 0x0F;
        _pmtSent = true;
        _psiDue = false;
        _lastPsiMs = timeMs;
        return PsiLength;
    }
}
