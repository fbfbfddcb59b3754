using Appliance.Codecs.MpegTs;
using Appliance.Core.Buffers;
using Appliance.Streaming.Logging;
using Appliance.Streaming.Streams;
using Microsoft.Extensions.Logging;

namespace Appliance.Streaming.Ingest;

/// <summary>
/// Turns an MPEG-TS byte stream (an SRT publisher) into the frames of a stream, as an RTMP publish
/// would send them: H.264 and H.265 Annex-B access units become length-prefixed NAL units, their
/// in-band parameter sets an AVC sequence header or an enhanced RTMP HEVC SequenceStart (again
/// whenever they change); ADTS frames become raw AAC with an AudioSpecificConfig header.
/// Timestamps are the PES DTS/PTS, their 33-bit 90 kHz clock extended to 64 bits across its wrap
/// (26.5 h) and handed to <see cref="MediaIngest"/> in milliseconds. The first video (H.264 or
/// H.265) and the first AAC stream of the program are taken; damage the demuxer survives is
/// counted there, units that cannot be turned into frames are dropped with a rate-limited line,
/// and a minute of video without a keyframe is said once.
/// </summary>
public sealed partial class TsIngest
{
    private const byte AudioTag = 8;
    private const byte VideoTag = 9;
    private const int SamplesPerAacFrame = 1024;

    private readonly TsDemuxer _demuxer = new();
    private readonly IMediaMessageSink _sink;
    private readonly string _name;
    private readonly ILogger _logger;
    private Ts33Clock _clock;
    private (int ObjectType, int RateIndex, int Channels) _audioFormat = (-1, -1, -1);
    private int _videoPid = -1;
    private int _audioPid = -1;
    private RepeatedLog? _videoBeforeHeader;
    private RepeatedLog? _badAudio;
    private RepeatedLog? _noTimestamp;
    private RepeatedLog? _damaged;

    public TsIngest(LiveStream stream, IStreamSource source, ILogger logger)
        : this(new MediaIngest(stream, source, logger), $"stream {stream.Key}", logger)
    {
    }

    /// <summary>
    /// Demuxes into <paramref name="sink"/> instead of a stream: a pull over SRT hands its messages
    /// to the pull as an RTMP or HTTP-FLV pull does. <paramref name="name"/> opens its log lines.
    /// </summary>
    public TsIngest(IMediaMessageSink sink, string name, ILogger logger)
    {
        _sink = sink;
        _name = name;
        _logger = logger;
    }

    /// <summary>
    /// Places the 33-bit clock near <paramref name="mediaTimeMs"/> (a parent node's 64-bit media time)
    /// before the first unit, so a stream older than the 26.5 h wrap keeps its parent's epoch.
    /// </summary>
    public void StartNear(long mediaTimeMs) => _clock.StartNear(mediaTimeMs * TsTimestamp.TicksPerMillisecond);

    /// <summary>The demuxer's counters (sync losses, CRC and continuity errors, dropped units).</summary>
    public TsDemuxer Demuxer => _demuxer;

    /// <summary>Frames published so far.</summary>
    public long Frames { get; private set; }

    /// <summary>Consumes <paramref name="data"/>, publishing every complete frame.</summary>
    /// <exception cref="TsFormatException">The input is not a transport stream.</exception>
    public void Write(ReadOnlySpan<byte> data)
    {
        var damage = Damage();
        _demuxer.Write(data);
        while (_demuxer.TryRead(out var unit))
        {
            Accept(unit);
        }
        if (Damage() != damage)
        {
            ReportDamage();
        }
    }

    // The stream's key as the stream log lines name it ("stream " dropped).
    private string StreamName => _name.StartsWith("stream ", StringComparison.Ordinal) ? _name["stream ".Length..] : _name;

    private long Damage() => _demuxer.CrcErrors + _demuxer.MalformedSections + _demuxer.ContinuityErrors + _demuxer.SyncLosses
        + _demuxer.MalformedPes + _demuxer.OversizedPes + _demuxer.TransportErrors + _demuxer.MalformedPackets;

    // Damage the demuxer survived (lost packets on a lossy link, a broken PAT/PMT): one line with the totals, then counted.
    private void ReportDamage()
    {
        _damaged ??= new RepeatedLog(_logger, LogLevel.Warning, _name, "damaged MPEG-TS input");
        if (_damaged.ShouldLog())
        {
            var d = _demuxer;
            StreamLog.Packaging(_logger, StreamName,
                $"damaged MPEG-TS input: {d.CrcErrors} PSI CRC errors, {d.MalformedSections} malformed PAT/PMT, {d.ContinuityErrors} continuity gaps, "
                + $"{d.SyncLosses} sync losses, {d.MalformedPes + d.OversizedPes} bad PES, {d.DroppedUnits} units dropped so far");
        }
    }

    /// <summary>Publishes the unit under way, as at the end of the stream (a video PES has no length, so only the next one ends it).</summary>
    public void Flush()
    {
        _demuxer.Flush();
        while (_demuxer.TryRead(out var unit))
        {
            Accept(unit);
        }
    }

    private void Accept(in TsAccessUnit unit)
    {
        if (unit.Pts < 0)
        {
            Drop(ref _noTimestamp, "units without a PTS", $"{unit.StreamType} unit without a PTS");
            return;
        }
        switch (unit.StreamType)
        {
            case TsStreamType.H264 or TsStreamType.H265 when _videoPid < 0 || _videoPid == unit.Pid:
                _videoPid = unit.Pid;
                AcceptVideo(unit, hevc: unit.StreamType == TsStreamType.H265);
                break;
            case TsStreamType.AacAdts when _audioPid < 0 || _audioPid == unit.Pid:
                _audioPid = unit.Pid;
                AcceptAudio(unit);
                break;
        }
    }

    private void AcceptAudio(in TsAccessUnit unit)
    {
        var pts = _clock.Extend(unit.Pts);
        var data = unit.Payload.Span;
        for (var index = 0; !data.IsEmpty; index++)
        {
            if (!AdtsFrame.TryRead(data, out var frame))
            {
                Drop(ref _badAudio, "audio units that are not ADTS", $"audio unit with {data.Length} bytes that are not an ADTS frame");
                return;
            }
            var ms = (pts + ((long)index * SamplesPerAacFrame * 90_000 / frame.SampleRate)) / TsTimestamp.TicksPerMillisecond;
            // Only the header fields the config is made of are compared, so a frame allocates nothing for it.
            if (_audioFormat != (frame.ObjectType, frame.SampleRateIndex, frame.ChannelConfiguration))
            {
                _audioFormat = (frame.ObjectType, frame.SampleRateIndex, frame.ChannelConfiguration);
                var config = frame.AudioSpecificConfig();
                var header = SharedBuffer.Rent(2 + config.Length);
                header.FullSpan[0] = 0xAF;
                header.FullSpan[1] = 0;
                config.CopyTo(header.FullSpan[2..]);
                header.Length = 2 + config.Length;
                Publish(AudioTag, ms, header);
            }
            var raw = data[frame.HeaderLength..frame.FrameLength];
            var body = SharedBuffer.Rent(2 + raw.Length);
            body.FullSpan[0] = 0xAF;
            body.FullSpan[1] = 1;
            raw.CopyTo(body.FullSpan[2..]);
            body.Length = 2 + raw.Length;
            Publish(AudioTag, ms, body);
            data = data[frame.FrameLength..];
        }
    }

    // The 64-bit clock in ms goes through MediaIngest's 32-bit extender unchanged: it starts below
    // 2^32 ms, or near the parent's media time, where the extender was placed alike.
    private void Publish(byte tag, long ms, SharedBuffer body)
    {
        _sink.Accept(tag, unchecked((uint)ms), body);
        Frames++;
    }

    private void Drop(ref RepeatedLog? log, string what, string line)
    {
        log ??= new RepeatedLog(_logger, LogLevel.Warning, _name, what);
        if (log.ShouldLog())
        {
            StreamLog.FrameDropped(_logger, StreamName, line);
        }
    }
}
