namespace Appliance.Streaming.Streams;

/// <summary>A stream's viewers by wire format: RTMP play, HTTP-FLV, and TS (HTTP-TS).</summary>
public readonly record struct ViewerCounts(int Rtmp, int Flv, int Ts)
{
    public int Total => Rtmp + Flv + Ts;
}
