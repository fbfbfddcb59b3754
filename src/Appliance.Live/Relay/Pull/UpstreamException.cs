namespace Appliance.Live.Relay.Pull;

/// <summary>An upstream attempt that failed for a reason worth logging (refused, 404, garbage, silence).</summary>
public sealed class UpstreamException(string message) : Exception(message);
