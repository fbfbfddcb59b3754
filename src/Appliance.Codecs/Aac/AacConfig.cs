namespace Appliance.Codecs.Aac;

/// <summary>
/// What an AudioSpecificConfig says. For HE-AAC with explicit signalling, <see cref="ObjectType"/>
/// is 5 (SBR) or 29 (PS) and <see cref="SampleRate"/> the output rate; the core layer (what an
/// ADTS header describes) is in <see cref="CoreObjectType"/> and <see cref="SampleRateIndex"/>.
/// <see cref="Channels"/> is 0 when the layout is given by a program config element.
/// </summary>
public readonly record struct AacConfig(int ObjectType, int SampleRate, int Channels)
{
    /// <summary>Object type of the core coder (2 = AAC LC for HE-AAC); equals ObjectType otherwise.</summary>
    public int CoreObjectType { get; init; }

    /// <summary>The core sampling_frequency_index (0..12), or 15 when the rate was explicit.</summary>
    public int SampleRateIndex { get; init; }

    /// <summary>The raw channel_configuration field (0..15).</summary>
    public int ChannelConfiguration { get; init; }
}
