namespace Appliance.Node.Config;

/// <summary>
/// The node's SRT listener (UDP): off unless <see cref="Listen"/> is set. Encoders publish MPEG-TS to
/// it and players request it by stream id; latency, passphrase and key length may be set per app
/// (<see cref="AppSrtConfig"/>).
/// </summary>
public sealed class SrtConfig
{
    /// <summary>host:port (UDP), e.g. "0.0.0.0:10080" or "127.0.0.1:10080"; "" = no SRT listener.</summary>
    public string Listen { get; set; } = "";

    /// <summary>The receive buffer SRT keeps to retransmit what was lost: about 2.5 to 4 round trips of the worst link.</summary>
    public int LatencyMs { get; set; } = 120;

    /// <summary>Bytes of each SRT packet: a multiple of the 188-byte TS packet, 1316 (seven) being what encoders send.</summary>
    public int PayloadSize { get; set; } = 1316;

    /// <summary>The send rate cap of each connection in bytes per second; 0 = SRT's own (the input rate plus <see cref="OverheadPercent"/>).</summary>
    public long MaxBandwidth { get; set; }

    /// <summary>How far above the input rate retransmissions may take a sender, in percent (5 to 100).</summary>
    public int OverheadPercent { get; set; } = 25;
}

/// <summary>An app's SRT settings: its own latency, and AES encryption with a passphrase every caller must know.</summary>
public sealed class AppSrtConfig
{
    /// <summary>The app's latency in ms; null = <c>srt.latencyMs</c>.</summary>
    public int? LatencyMs { get; set; }

    /// <summary>10 to 79 characters; "" = unencrypted, and a caller that sends a passphrase is refused.</summary>
    public string Passphrase { get; set; } = "";

    /// <summary>AES key length in bytes: 16, 24 or 32; 0 = the caller's (16 when it names none).</summary>
    public int KeyLength { get; set; }
}
