namespace Appliance.Relay.Urls;

/// <summary>How a stream is pulled from an upstream candidate.</summary>
public enum UpstreamProtocol
{
    /// <summary>RTMP play of <c>rtmp://host:port/app/{stream}</c>.</summary>
    Rtmp,

    /// <summary>An HTTP GET whose body is an FLV stream.</summary>
    HttpFlv,
}
