namespace Appliance.Codecs.Fmp4;

/// <summary>
/// One sample of a fragment as its trun describes it; the bytes themselves go in the mdat, in
/// order. Durations and offsets are in the track's timescale.
/// </summary>
/// <param name="Duration">Decode time to the next sample.</param>
/// <param name="Size">Payload bytes: for video the length-prefixed NAL units exactly as the FLV tag carries them, for AAC one raw frame.</param>
/// <param name="IsSync">A random-access point (an IDR/IRAP picture; every AAC frame).</param>
/// <param name="CompositionOffset">Presentation minus decode time (video only; signed, trun version 1).</param>
public readonly record struct Fmp4Sample(uint Duration, int Size, bool IsSync, int CompositionOffset = 0);
