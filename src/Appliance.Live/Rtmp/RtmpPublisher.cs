using Appliance.Live.Streams;

namespace Appliance.Live.Rtmp;

/// <summary>A publishing RTMP session seen as a stream's source.</summary>
internal sealed class RtmpPublisher(RtmpServerSession session, StreamKey key) : IStreamSource
{
    public StreamKey Key { get; } = key;

    public string Description => $"rtmp-publish {session.Client}";

    public void Kick(string reason) => session.Abort(reason);
}
