using Appliance.Streaming.Streams;

namespace Appliance.Relay.Hosting;

/// <summary>
/// Streams the node makes itself when a viewer asks for one that is not there yet (a transcoding
/// ladder's rungs, made from a stream published here). The relay asks it before it would pull, so
/// a viewer of such a stream goes through the same wait as a viewer of an on-demand pull.
/// </summary>
public interface IStreamMaker
{
    /// <summary>Whether <paramref name="key"/> names a stream this node would make now (its source is here); cheap, no waiting.</summary>
    bool Makes(StreamKey key);

    /// <summary>
    /// Makes the stream, or joins its making, and waits (within the maker's own bound) until it
    /// has media; null when it will not come (refused, not made for this source, failed): 404.
    /// </summary>
    ValueTask<LiveStream?> MakeAsync(StreamKey key, string client);
}
