using Appliance.Codecs.Avc;
using Appliance.Codecs.Hevc;

namespace Appliance.Codecs.MpegTs;

/// <summary>
/// A video configuration ready for muxing: the NAL length size of the samples and the parameter
/// sets as one Annex-B block, so inserting them before a random-access picture is one append.
/// Built once per sequence header (the only allocation the muxer makes).
/// </summary>
internal sealed class VideoTrack
{
    // An H.264 AUD with primary_pic_type 7 (any slice type), then the RBSP stop bit.
    private static readonly byte[] H264Aud = [0, 0, 0, 1, 0x09, 0xF0];

    // An H.265 AUD (type 35, layer 0, TemporalId 0) with pic_type 2 (any), then the stop bit.
    private static readonly byte[] H265Aud = [0, 0, 0, 1, 0x46, 0x01, 0x50];

    private VideoTrack(TsStreamType streamType, int nalLengthSize, byte[] parameterSets)
    {
        StreamType = streamType;
        NalLengthSize = nalLengthSize;
        ParameterSets = parameterSets;
    }

    public TsStreamType StreamType { get; }

    public bool IsHevc => StreamType == TsStreamType.H265;

    public int NalLengthSize { get; }

    /// <summary>SPS and PPS (H.264) or VPS, SPS and PPS (H.265), each after a four-byte start code.</summary>
    public byte[] ParameterSets { get; }

    public ReadOnlySpan<byte> AccessUnitDelimiter => IsHevc ? H265Aud : H264Aud;

    public int MaxAccessUnitDelimiterLength => H265Aud.Length;

    public int NalType(byte header) => IsHevc ? NalUnitTypes.H265Type(header) : NalUnitTypes.H264Type(header);

    /// <summary>
    /// From an AVCDecoderConfigurationRecord; null unless it has an SPS and a PPS of the right
    /// types, and then <paramref name="problem"/> says what is wrong with it ("has no PPS").
    /// </summary>
    public static VideoTrack? FromAvcRecord(ReadOnlySpan<byte> record, out string problem)
    {
        if (!AvcDecoderConfigurationRecord.TryParse(record, out var config, out problem) || config is null)
        {
            return null;
        }
        if (config.Pps.Count == 0)
        {
            problem = "has no PPS";
            return null;
        }
        var block = new ParameterSetBlock();
        foreach (var sps in config.Sps)
        {
            if (NalUnitTypes.H264Type(sps[0]) != NalUnitTypes.H264Sps)
            {
                problem = $"holds a NAL unit of type {NalUnitTypes.H264Type(sps[0])} where an SPS (7) belongs";
                return null;
            }
            block.Add(sps);
        }
        foreach (var pps in config.Pps)
        {
            if (NalUnitTypes.H264Type(pps[0]) != NalUnitTypes.H264Pps)
            {
                problem = $"holds a NAL unit of type {NalUnitTypes.H264Type(pps[0])} where a PPS (8) belongs";
                return null;
            }
            block.Add(pps);
        }
        return new VideoTrack(TsStreamType.H264, config.NalLengthSize, block.ToArray());
    }

    /// <summary>
    /// From an HEVCDecoderConfigurationRecord (ISO/IEC 14496-15, 8.3.3.1): collects every VPS, SPS
    /// and PPS, in that order. Null when the record is truncated, its length size is 3 (reserved),
    /// or one of the three kinds is missing, and then <paramref name="problem"/> says which. Other
    /// arrays (SEI) are skipped.
    /// </summary>
    public static VideoTrack? FromHevcRecord(ReadOnlySpan<byte> record, out string problem)
    {
        const int fixedLength = 22;
        if (record.Length < fixedLength + 1)
        {
            problem = $"is truncated ({record.Length} bytes; the fixed part alone is {fixedLength + 1})";
            return null;
        }
        var nalLengthSize = (record[fixedLength - 1] & 0x03) + 1;
        if (nalLengthSize == 3)
        {
            problem = "declares NAL lengths of 3 bytes (only 1, 2 or 4 exist)";
            return null;
        }
        var block = new ParameterSetBlock();
        for (var wanted = NalUnitTypes.H265Vps; wanted <= NalUnitTypes.H265Pps; wanted++)
        {
            if (!TryCollectHevcArray(record, wanted, ref block, out problem))
            {
                return null;
            }
        }
        problem = "";
        return new VideoTrack(TsStreamType.H265, nalLengthSize, block.ToArray());
    }

    // Walks all arrays (they may come in any order) and adds the units of one type; false when
    // the record is truncated or holds none of that type.
    private static bool TryCollectHevcArray(ReadOnlySpan<byte> record, int wanted, ref ParameterSetBlock block, out string problem)
    {
        var reader = new HevcNalArrayReader(record);
        var found = false;
        while (reader.TryReadNext(out var arrayType, out var nal))
        {
            if (arrayType == wanted && nal.Length >= 2 && NalUnitTypes.H265Type(nal[0]) == wanted)
            {
                block.Add(nal);
                found = true;
            }
        }
        problem = reader.Failed ? "is truncated in its NAL unit arrays"
            : found ? ""
            : $"has no {(wanted == NalUnitTypes.H265Vps ? "VPS" : wanted == NalUnitTypes.H265Sps ? "SPS" : "PPS")}";
        return found && !reader.Failed;
    }

    // Accumulates start-code-prefixed units; config records are at most a few kilobytes.
    private struct ParameterSetBlock
    {
        private List<byte>? _bytes;

        public void Add(ReadOnlySpan<byte> nal)
        {
            _bytes ??= [];
            CollectionExtensions.AddRange(_bytes, AnnexBStartCode.Bytes);
            CollectionExtensions.AddRange(_bytes, nal);
        }

        public readonly byte[] ToArray() => _bytes?.ToArray() ?? [];
    }
}
