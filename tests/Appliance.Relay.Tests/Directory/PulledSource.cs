using Appliance.Streaming.Streams;

namespace Appliance.Relay.Tests.Directory;

/// <summary>A source that counts as a pull from another node.</summary>
internal sealed class PulledSource : IStreamSource
{
    public string Description => "pull rtmp://10.9.9.9:1935/live";

    public bool IsPull => true;

    public void Kick(string reason)
    {
    }
}
