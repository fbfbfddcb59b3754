namespace Appliance.Streaming.Streams;

/// <summary>A stream's viewers by protocol: RTMP play, HTTP-FLV, TS (HTTP-TS), and HLS sessions.</summary>
public readonly record struct ViewerCounts(int Rtmp, int Flv, int Ts, int Hls)
{
    public int Total => Rtmp + Flv + Ts + Hls;
}
