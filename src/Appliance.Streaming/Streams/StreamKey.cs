namespace Appliance.Streaming.Streams;

/// <summary>Identifies a stream: the domain (virtual host), the app, and the stream name without its query.</summary>
public readonly record struct StreamKey(string Domain, string App, string Name)
{
    public override string ToString() => $"{Domain}/{App}/{Name}";
}
