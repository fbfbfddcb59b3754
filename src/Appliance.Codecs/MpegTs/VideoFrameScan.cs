namespace Appliance.Codecs.MpegTs;

/// <summary>
/// A first pass over a frame's length prefixes (not its bodies): validates them before anything is
/// written, measures the Annex-B output, and notes whether the frame holds a random-access picture
/// and its own parameter sets.
/// </summary>
internal readonly record struct VideoFrameScan(TsMuxStatus Status, int AnnexBLength, bool HasRandomAccessPicture, bool CarriesParameterSets)
{
    public static VideoFrameScan Scan(VideoTrack track, ReadOnlySpan<byte> frame)
    {
        var reader = new AvccNalReader(frame, track.NalLengthSize);
        long length = 0;
        var units = 0;
        bool randomAccess = false, vps = false, sps = false, pps = false;
        while (reader.TryReadNext(out var nal))
        {
            var type = track.NalType(nal[0]);
            if (track.IsHevc)
            {
                if (type == NalUnitTypes.H265Aud)
                {
                    continue;
                }
                randomAccess |= type is >= NalUnitTypes.H265BlaWLp and <= NalUnitTypes.H265RsvIrap23;
                vps |= type == NalUnitTypes.H265Vps;
                sps |= type == NalUnitTypes.H265Sps;
                pps |= type == NalUnitTypes.H265Pps;
            }
            else
            {
                if (type == NalUnitTypes.H264Aud)
                {
                    continue;
                }
                randomAccess |= type == NalUnitTypes.H264Idr;
                sps |= type == NalUnitTypes.H264Sps;
                pps |= type == NalUnitTypes.H264Pps;
            }
            length += AnnexBStartCode.Length + nal.Length;
            units++;
        }
        if (reader.Failed)
        {
            return new VideoFrameScan(TsMuxStatus.NalLengthOverrun, 0, false, false);
        }
        if (units == 0)
        {
            return new VideoFrameScan(TsMuxStatus.EmptyFrame, 0, false, false);
        }
        var carries = sps && pps && (vps || !track.IsHevc);
        // The frame is at most MaxFrameLength and each unit grows by at most 3 bytes, so this fits an int.
        return new VideoFrameScan(TsMuxStatus.Ok, (int)length, randomAccess, carries);
    }
}
