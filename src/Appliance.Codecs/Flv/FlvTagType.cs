namespace Appliance.Codecs.Flv;

public enum FlvTagType : byte
{
    Audio = 8,
    Video = 9,
    Script = 18,
}
