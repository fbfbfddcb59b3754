namespace Appliance.Streaming.Streams;

/// <summary>A source that is a pull from a parent node or origin (as opposed to a publisher here).</summary>
public interface IUpstreamSource : IStreamSource;
