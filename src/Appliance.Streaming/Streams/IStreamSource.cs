namespace Appliance.Streaming.Streams;

/// <summary>Whatever feeds a stream: a publishing RTMP session, or an upstream pull.</summary>
public interface IStreamSource
{
    /// <summary>Its kind, a space, then the peer ("rtmp-publish 203.0.113.7:50432"); public listings show only the kind.</summary>
    string Description { get; }

    /// <summary>
    /// True for a pull from a parent node or origin rather than a publisher here: a pull never
    /// evicts a publisher and yields the stream to one, and the stream directory does not list a
    /// pulled stream as published on this node.
    /// </summary>
    bool IsPull => false;

    /// <summary>
    /// True when the source relays another node's copy of a stream (a pull, or a push forwarded by
    /// a node): its timestamps may be the very timeline viewers already have, so a stream taking it
    /// over may continue that timeline instead of starting a new one. An encoder's are its own.
    /// </summary>
    bool RelaysTimeline => false;

    /// <summary>
    /// The span after which the source's own timestamps wrap (RTMP and FLV carry 32-bit
    /// milliseconds). A source that joins an old stream is only known up to a multiple of it.
    /// </summary>
    long TimestampWrapMs => 1L << 32;

    /// <summary>
    /// True for a stream this node makes by re-encoding another of its streams (a transcoding
    /// ladder's rung): not one of the app's publishers (its publisher limit), never itself a ladder's
    /// source, and a new instance continuing its timeline sends encodes of its own, so video resumes
    /// at a keyframe, not after the frames viewers already have.
    /// </summary>
    bool IsTranscoded => false;

    /// <summary>Ends the source (another publisher took over, or an operator dropped it).</summary>
    void Kick(string reason);
}
