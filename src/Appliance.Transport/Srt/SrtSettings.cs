namespace Appliance.Transport.Srt;

/// <summary>
/// The options one SRT connection is made with. <see cref="LatencyMs"/> is the receiver's buffer
/// (TSBPD), the time SRT has to retransmit what was lost; <see cref="Passphrase"/> turns on AES
/// with <see cref="KeyLength"/> bytes of key (16, 24 or 32; 0 lets the caller choose);
/// <see cref="MaxBandwidth"/> caps the send rate in bytes per second (0 = SRT's default, input
/// rate plus <see cref="OverheadPercent"/>).
/// </summary>
public sealed record SrtSettings
{
    public const int DefaultLatencyMs = 120;
    public const int DefaultPayloadSize = 1316;

    public int LatencyMs { get; init; } = DefaultLatencyMs;

    public int PayloadSize { get; init; } = DefaultPayloadSize;

    public long MaxBandwidth { get; init; }

    public int OverheadPercent { get; init; } = 25;

    public string? Passphrase { get; init; }

    public int KeyLength { get; init; }
}
