namespace Appliance.Codecs.Flv;

public enum VideoFrameType : byte
{
    Key = 1,
    Inter = 2,
    DisposableInter = 3,
    Generated = 4,
    Command = 5,
}
