using Appliance.Streaming.Streams;

namespace Appliance.Node.Rtmp;

/// <summary>
/// A publishing RTMP session seen as a stream's source; <paramref name="forwarded"/> when another
/// node pushes it here, <paramref name="transcoded"/> when it is this node's transcoder publishing a
/// rung (on the source's timeline, so a restarted transcoder continues it).
/// </summary>
internal sealed class RtmpPublisher(RtmpServerSession session, bool forwarded, bool transcoded = false) : IStreamSource
{
    public string Description => transcoded ? $"transcoder {session.Client}" : $"rtmp-publish {session.Client}";

    public bool RelaysTimeline => forwarded || transcoded;

    public bool IsTranscoded => transcoded;

    public void Kick(string reason) => session.Abort(reason);
}
