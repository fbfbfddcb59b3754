namespace Appliance.Relay.Routing;

/// <summary>What one probe found: the connect time, the health round trip when asked, and why it failed if it did.</summary>
public readonly record struct ProbeResult(bool Success, double? ConnectMs, double? RttMs, int? Status, string? Error)
{
    public static ProbeResult Failed(string error, double? connectMs = null, int? status = null) => new(false, connectMs, null, status, error);
}
