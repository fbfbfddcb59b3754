namespace Appliance.Node.Sessions;

/// <summary>What the HLS session table decided for one request.</summary>
public enum HlsAdmission
{
    /// <summary>The request belongs to a session (found or new): serve it and add its bytes.</summary>
    Counted,

    /// <summary>The stream has ended (its last playlist and segments stay a while): serve it, count nothing.</summary>
    Uncounted,

    /// <summary>A new session past the stream's maxViewersPerStream: 503, as for any viewer.</summary>
    StreamFull,

    /// <summary>A new session past limits.maxHlsSessions: 503.</summary>
    TableFull,

    /// <summary>A new session past limits.maxConnectionsPerIp HLS sessions from its address: 503.</summary>
    AddressFull,

    /// <summary>An operator kicked this session: 403 until it has made no request for one window.</summary>
    Kicked,
}
