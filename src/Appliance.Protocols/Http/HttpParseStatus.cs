namespace Appliance.Protocols.Http;

public enum HttpParseStatus
{
    /// <summary>Nothing consumed; call again once more bytes have arrived.</summary>
    Incomplete,
    Complete,
    /// <summary>The input can never become a valid message; the connection should be closed.</summary>
    Error,
}
