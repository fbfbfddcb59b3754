namespace Appliance.Control.Contract;

/// <summary>One open connection, or one HLS player (protocol "hls": client is its address, in is 0, out the bytes of its responses).</summary>
public sealed class SessionReport
{
    public long Id { get; set; }

    public string Protocol { get; set; } = "";

    public string Client { get; set; } = "";

    public string Stream { get; set; } = "-";

    public long AgeSeconds { get; set; }

    public long BytesIn { get; set; }

    public long BytesOut { get; set; }

    /// <summary>For an SRT session: SRT's round-trip time, loss and retransmissions; else absent.</summary>
    public SrtSessionReport? Srt { get; set; }
}
