using Appliance.Codecs.Bits;

namespace Appliance.Codecs.Aac;

/// <summary>Parses the AudioSpecificConfig of MPEG-4 audio (ISO/IEC 14496-3, 1.6.2.1).</summary>
public static class AudioSpecificConfig
{
    private const int EscapeObjectType = 31;
    private const int ExplicitRateIndex = 15;
    private const int Sbr = 5;
    private const int Ps = 29;

    private static ReadOnlySpan<int> SampleRates =>
        [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350];

    /// <summary>
    /// False when the config is truncated or uses a reserved value (object type 0, sampling index
    /// 13/14, channel configuration 8-10 or 15).
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> asc, out AacConfig config)
    {
        config = default;
        var bits = new BitReader(asc);
        var objectType = ReadObjectType(ref bits);
        var rateIndex = (int)bits.ReadBits(4);
        if (!TryReadRate(ref bits, rateIndex, out var coreRate))
        {
            return false;
        }
        var channelConfiguration = (int)bits.ReadBits(4);
        if (bits.Failed || objectType == 0)
        {
            return false;
        }

        var coreObjectType = objectType;
        var outputRate = coreRate;
        if (objectType is Sbr or Ps)
        {
            if (!TryReadRate(ref bits, (int)bits.ReadBits(4), out outputRate))
            {
                return false;
            }
            coreObjectType = ReadObjectType(ref bits);
            if (bits.Failed || coreObjectType == 0)
            {
                return false;
            }
        }

        var channels = ChannelCount(channelConfiguration);
        if (channels < 0)
        {
            return false;
        }
        // Parametric stereo turns a mono core into stereo output.
        if (objectType == Ps && channels == 1)
        {
            channels = 2;
        }
        config = new AacConfig(objectType, outputRate, channels)
        {
            CoreObjectType = coreObjectType,
            SampleRateIndex = rateIndex,
            ChannelConfiguration = channelConfiguration,
        };
        return true;
    }

    private static int ReadObjectType(ref BitReader bits)
    {
        var objectType = (int)bits.ReadBits(5);
        return objectType == EscapeObjectType ? 32 + (int)bits.ReadBits(6) : objectType;
    }

    private static bool TryReadRate(ref BitReader bits, int index, out int rate)
    {
        rate = 0;
        if (index == ExplicitRateIndex)
        {
            rate = (int)bits.ReadBits(24);
        }
        else if (index < SampleRates.Length)
        {
            rate = SampleRates[index];
        }
        return !bits.Failed && rate > 0;
    }

    // Table 1.19, plus 11-14 from the 2009 amendment; 8-10 and 15 are reserved.
    private static int ChannelCount(int configuration) => configuration switch
    {
        >= 0 and <= 6 => configuration,
        7 => 8,
        11 => 7,
        12 => 8,
        13 => 24,
        14 => 8,
        _ => -1,
    };
}
