namespace Appliance.Codecs.Fmp4;

/// <summary>What a track's handler says it is: 'vide' or 'soun'.</summary>
public enum Fmp4TrackKind : byte
{
    Video,
    Audio,
}
