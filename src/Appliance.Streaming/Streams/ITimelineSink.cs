using Appliance.Streaming.Media;

namespace Appliance.Streaming.Streams;

/// <summary>The stream as its timeline sees it: where placed frames go, and what it already holds.</summary>
internal interface ITimelineSink
{
    /// <summary>The span after which the current source's own timestamps wrap.</summary>
    long TimestampWrapMs { get; }

    /// <summary>Takes a frame placed on the timeline (the reference with it).</summary>
    void Append(MediaFrame frame);

    /// <summary>The timeline starts anew: HLS players must be told.</summary>
    void Break();

    /// <summary>True for metadata or a sequence header the stream already has, byte for byte.</summary>
    bool IsKnownHeader(MediaFrame frame);
}
