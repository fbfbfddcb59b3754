using Appliance.Codecs.Flv;

namespace Appliance.Load.Viewers;

/// <summary>Tells coded video frames (and keyframes among them) from sequence headers and the rest.</summary>
internal static class VideoFrameCheck
{
    public static bool IsCodedFrame(ReadOnlySpan<byte> videoPayload, out bool keyFrame)
    {
        keyFrame = false;
        if (!VideoTagInfo.TryParse(videoPayload, out var info) || info.Kind != VideoPacketKind.CodedFrames)
        {
            return false;
        }
        keyFrame = info.IsKeyFrame;
        return true;
    }
}
