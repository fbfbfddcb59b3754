using Appliance.Codecs.Avc;

namespace Appliance.Codecs.Hevc;

/// <summary>The <see cref="SeiStamp"/> latency stamp as an H.265 prefix SEI NAL unit (type 39).</summary>
public static class HevcSeiStamp
{
    private const int PrefixSeiNal = 39;

    /// <summary>Writes the NAL unit (no start code nor length): its length.</summary>
    public static int WriteNal(Span<byte> destination, long unixMicroseconds)
    {
        // forbidden_zero_bit 0, nal_unit_type 39, nuh_layer_id 0, nuh_temporal_id_plus1 1.
        destination[0] = PrefixSeiNal << 1;
        destination[1] = 1;
        return 2 + SeiStamp.WriteSeiRbsp(destination[2..], unixMicroseconds);
    }
}
