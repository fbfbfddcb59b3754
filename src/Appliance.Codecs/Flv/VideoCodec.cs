namespace Appliance.Codecs.Flv;

public enum VideoCodec
{
    Unknown,
    SorensonH263,
    ScreenVideo,
    Vp6,
    Vp6Alpha,
    ScreenVideo2,
    Avc,
    Hevc,
    Av1,
    Vp9,
}
