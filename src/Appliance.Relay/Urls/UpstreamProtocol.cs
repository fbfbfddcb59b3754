namespace Appliance.Relay.Urls;

/// <summary>How a stream is pulled from an upstream candidate.</summary>
public enum UpstreamProtocol
{
    /// <summary>RTMP play of <c>rtmp://host:port/app/{stream}</c>.</summary>
    Rtmp,

    /// <summary>An HTTP GET whose body is an FLV stream.</summary>
    HttpFlv,

    /// <summary>MPEG-TS over SRT: the caller asks with a stream id (<c>m=request</c> to pull, <c>m=publish</c> to push).</summary>
    Srt,
}
