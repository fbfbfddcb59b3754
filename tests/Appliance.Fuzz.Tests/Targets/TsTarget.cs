using System.Runtime.ExceptionServices;
using Appliance.Codecs.MpegTs;
using Appliance.Fuzz.Tests.Engine;
using Appliance.Fuzz.Tests.Seeds;

namespace Appliance.Fuzz.Tests.Targets;

/// <summary>
/// An MPEG-TS byte stream (an HTTP-TS pull) through <see cref="TsDemuxer"/>: written in pieces,
/// units taken as they come, then Flush. Units must respect the size limit. When every packet is in
/// place (no resync can happen) the input in one piece must give the same units. Refusal:
/// <see cref="TsFormatException"/>.
/// </summary>
public sealed class TsTarget : FuzzTarget, IStructuredMutator
{
    public override string Name => "ts";

    public override IEnumerable<byte[]> Seeds()
    {
        yield return Mux(Media.AvcAacTags());
        yield return Mux(Media.OtherTags());
        yield return Mux(Media.EnhancedTags());
    }

    public override IReadOnlyList<byte[]> Dictionary { get; } =
    [
        [0x47], [0x47, 0x40, 0x00, 0x10], [0x47, 0x50, 0x00, 0x10], [0x47, 0x41, 0x00, 0x30], [0x47, 0x1F, 0xFF, 0x10], [0x00, 0x00, 0x01, 0xE0],
        [0x00, 0x00, 0x01, 0xC0], [0x00, 0xB0], [0x02, 0xB0], [0x1B], [0x24], [0x0F], [0xFF, 0xF1], [0x00, 0x00, 0x00, 0x01], [0x80, 0xC0, 0x0A],
    ];

    public byte[]? Mutate(byte[] input, Prng rng) => Structured.Ts(input, rng, Dictionary);

    public override bool IsExpected(Exception exception) => exception is TsFormatException;

    public override void Run(ReadOnlySpan<byte> input)
    {
        var data = input.ToArray();
        var pieces = new Transcript();
        var error = Drive(data, Pieces.Cuts(data), pieces, feedback: true);
        // Tight limits: PES units over four packets are dropped, and one packet without sync is too many.
        try
        {
            Drive(data, Pieces.Cuts(data), new Transcript(), feedback: false, maxAccessUnitLength: 4 * TsPacket.Size, maxResyncBytes: TsPacket.Size);
        }
        catch (TsFormatException)
        {
        }
        if (IsAligned(data))
        {
            var whole = new Transcript();
            Drive(data, [data.Length], whole, feedback: false);
            Transcript.AssertSame(whole, pieces, "aligned transport stream");
        }
        if (error is not null)
        {
            ExceptionDispatchInfo.Throw(error);
        }
    }

    /// <summary>Muxes tags with TsMuxer, as the TS packager does: a TS file made by this code base.</summary>
    public static byte[] Mux(IEnumerable<(Appliance.Codecs.Flv.FlvTagType Type, uint Time, byte[] Payload)> tags)
    {
        var muxer = new TsMuxer();
        var output = new List<byte>();
        foreach (var (type, time, payload) in tags)
        {
            if (type == Appliance.Codecs.Flv.FlvTagType.Video && Appliance.Codecs.Flv.VideoTagInfo.TryParse(payload, out var video)
                && video.Codec is Appliance.Codecs.Flv.VideoCodec.Avc or Appliance.Codecs.Flv.VideoCodec.Hevc)
            {
                var body = payload.AsSpan(video.HeaderLength);
                if (video.Kind == Appliance.Codecs.Flv.VideoPacketKind.SequenceHeader)
                {
                    _ = video.Codec == Appliance.Codecs.Flv.VideoCodec.Hevc ? muxer.SetHevcConfig(body) : muxer.SetAvcConfig(body);
                }
                else if (video.Kind == Appliance.Codecs.Flv.VideoPacketKind.CodedFrames && muxer.MaxVideoLength(body.Length) is > 0 and var size)
                {
                    var destination = new byte[size];
                    var result = muxer.WriteVideo(destination, body, time, video.CompositionTimeMs, video.IsKeyFrame);
                    output.AddRange(destination.AsSpan(0, result.BytesWritten).ToArray());
                }
            }
            else if (type == Appliance.Codecs.Flv.FlvTagType.Audio && Appliance.Codecs.Flv.AudioTagInfo.TryParse(payload, out var audio)
                && audio.Format == Appliance.Codecs.Flv.SoundFormat.Aac)
            {
                var body = payload.AsSpan(audio.HeaderLength);
                if (audio.IsSequenceHeader)
                {
                    muxer.SetAacConfig(body);
                }
                else if (muxer.MaxAudioLength(body.Length) is > 0 and var size)
                {
                    var destination = new byte[size];
                    var result = muxer.WriteAudio(destination, body, time);
                    output.AddRange(destination.AsSpan(0, result.BytesWritten).ToArray());
                }
            }
        }
        return [.. output];
    }

    private static bool IsAligned(byte[] data)
    {
        if (data.Length % TsPacket.Size != 0)
        {
            return false;
        }
        for (var i = 0; i < data.Length; i += TsPacket.Size)
        {
            if (data[i] != TsPacket.SyncByte)
            {
                return false;
            }
        }
        return true;
    }

    private static TsFormatException? Drive(byte[] data, int[] arrivals, Transcript transcript, bool feedback,
        int maxAccessUnitLength = TsDemuxer.DefaultMaxAccessUnitLength, int maxResyncBytes = TsDemuxer.DefaultMaxResyncBytes)
    {
        var demuxer = new TsDemuxer(maxAccessUnitLength, maxResyncBytes);
        var from = 0;
        try
        {
            foreach (var to in arrivals)
            {
                demuxer.Write(data.AsSpan(from, to - from));
                from = to;
                Drain(demuxer, transcript, feedback, maxAccessUnitLength);
            }
            demuxer.Flush();
            Drain(demuxer, transcript, feedback, maxAccessUnitLength);
            return null;
        }
        catch (TsFormatException e)
        {
            transcript.Add("error", e.Message);
            return e;
        }
        finally
        {
            if (feedback)
            {
                Feedback.Note("pat", demuxer.HasPat ? 1 : 0);
                Feedback.Note("pmt", demuxer.HasPmt ? 1 : 0);
                Feedback.NoteSize("streams", demuxer.Streams.Count);
                Feedback.NoteSize("sync losses", demuxer.SyncLosses);
                Feedback.NoteSize("transport errors", demuxer.TransportErrors);
                Feedback.NoteSize("malformed packets", demuxer.MalformedPackets);
                Feedback.NoteSize("continuity", demuxer.ContinuityErrors);
                Feedback.NoteSize("crc", demuxer.CrcErrors);
                Feedback.NoteSize("sections", demuxer.MalformedSections);
                Feedback.NoteSize("pes", demuxer.MalformedPes);
                Feedback.NoteSize("dropped", demuxer.DroppedUnits);
            }
        }
    }

    private static void Drain(TsDemuxer demuxer, Transcript transcript, bool feedback, int maxAccessUnitLength)
    {
        while (demuxer.TryRead(out var unit))
        {
            FuzzInvariantException.Check(unit.Payload.Length <= maxAccessUnitLength,
                $"access unit size: {unit.Payload.Length} bytes passed the {maxAccessUnitLength}-byte limit");
            FuzzInvariantException.Check(unit.Pts >= -1 && unit.Pts < 1L << 33 && unit.Dts >= -1 && unit.Dts < 1L << 33,
                $"timestamps: out of 33-bit range, pts {unit.Pts}, dts {unit.Dts}");
            transcript.Add("unit", unit.Pid, ((long)unit.StreamType << 8) | (unit.IsKeyFrame ? 1L : 0) | (unit.Discontinuity ? 2L : 0), unit.Pts);
            transcript.Add("dts", unit.Dts);
            transcript.Add("payload", unit.Payload.Span);
            if (feedback)
            {
                Feedback.Note("unit", ((long)unit.StreamType << 8) | (unit.IsKeyFrame ? 1L : 0) | (unit.Discontinuity ? 2L : 0));
                Feedback.NoteSize("unit size", unit.Payload.Length);
            }
        }
    }
}
