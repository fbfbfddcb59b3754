namespace Appliance.Protocols.Rtmp;

/// <summary>What an <see cref="RtmpServerConnection"/> announces and accepts.</summary>
public sealed class RtmpServerOptions
{
    /// <summary>The chunk size of everything the server sends, announced in the connect answer.</summary>
    public int ChunkSize { get; init; } = 4096;

    /// <summary>The largest message the peer may send; a larger one is refused from its header.</summary>
    public int MaxMessageBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>The message stream createStream hands out; status replies and played media use it.</summary>
    public uint StreamId { get; init; } = 1;

    /// <summary>The window announced to the peer, and the peer bandwidth asked of it.</summary>
    public uint WindowAckSize { get; init; } = 2_500_000;
}
