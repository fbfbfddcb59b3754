using Appliance.Streaming.Streams;

namespace Appliance.Node.Rtmp;

/// <summary>A publishing RTMP session seen as a stream's source; <paramref name="forwarded"/> when another node pushes it here.</summary>
internal sealed class RtmpPublisher(RtmpServerSession session, bool forwarded) : IStreamSource
{
    public string Description => $"rtmp-publish {session.Client}";

    public bool RelaysTimeline => forwarded;

    public void Kick(string reason) => session.Abort(reason);
}
