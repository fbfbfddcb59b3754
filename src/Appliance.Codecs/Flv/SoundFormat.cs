namespace Appliance.Codecs.Flv;

public enum SoundFormat : byte
{
    LinearPcmPlatform = 0,
    Adpcm = 1,
    Mp3 = 2,
    LinearPcmLe = 3,
    Nellymoser16kMono = 4,
    Nellymoser8kMono = 5,
    Nellymoser = 6,
    G711A = 7,
    G711U = 8,

    /// <summary>Enhanced RTMP: the rest of byte 0 is a packet type and a FourCC follows.</summary>
    ExHeader = 9,
    Aac = 10,
    Speex = 11,
    Mp3_8k = 14,
    DeviceSpecific = 15,
}
