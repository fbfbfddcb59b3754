using Appliance.Streaming.Streams;

namespace Appliance.Node.Srt;

/// <summary>A publishing SRT session seen as a stream's source.</summary>
internal sealed class SrtPublisher(SrtServerSession session) : IStreamSource
{
    public string Description => $"srt-publish {session.Client}";

    public bool RelaysTimeline => false;

    public bool IsTranscoded => false;

    public void Kick(string reason) => session.Abort(reason);
}
