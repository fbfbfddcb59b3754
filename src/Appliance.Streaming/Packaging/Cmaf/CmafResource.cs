using Appliance.Core.Buffers;

namespace Appliance.Streaming.Packaging.Cmaf;

/// <summary>What a file lookup found (<see cref="CmafPackager.Find"/>).</summary>
public enum CmafFileStatus
{
    /// <summary>Here it is: send it and release it.</summary>
    Found,

    /// <summary>
    /// Not yet: a part of the segment in progress (or of the next one, the preload hint) or that
    /// segment itself. Wait with <see cref="CmafPackager.WaitForPartAsync"/> and look again.
    /// </summary>
    NotYet,

    /// <summary>Segment N is complete and has fewer parts than asked: no such part will ever exist (404; the end of a chunked segment).</summary>
    PastEnd,

    /// <summary>It existed and has left the window (404).</summary>
    Gone,

    /// <summary>No such file, nor soon (404 at once).</summary>
    NotFound,
}

/// <summary>
/// Bytes to send for an init, a segment or a part, with one reference that the caller owns and
/// hands to the connection's writer (or releases): a range of a sealed in-memory file (init
/// segments, complete segments and their parts: sendfile), or a pooled buffer (a part of the
/// segment in progress).
/// </summary>
public readonly struct CmafResource
{
    internal CmafResource(SharedFile file, long offset, long length, string contentType)
    {
        File = file;
        Offset = offset;
        Length = length;
        ContentType = contentType;
    }

    internal CmafResource(SharedBuffer buffer, string contentType)
    {
        Buffer = buffer;
        Length = buffer.Length;
        ContentType = contentType;
    }

    /// <summary>Set for bytes in a sealed file: send [Offset, Offset + Length) with sendfile.</summary>
    public SharedFile? File { get; }

    /// <summary>Set for a part of the segment in progress: send its bytes by reference.</summary>
    public SharedBuffer? Buffer { get; }

    public long Offset { get; }

    public long Length { get; }

    /// <summary>video/mp4 or audio/mp4.</summary>
    public string ContentType { get; }

    /// <summary>Gives the reference back without sending.</summary>
    public void Release()
    {
        File?.Release();
        Buffer?.Release();
    }
}
