namespace Appliance.Relay.Pull;

/// <summary>An upstream attempt that failed for a reason worth logging (refused, 404, garbage, silence).</summary>
public sealed class UpstreamException(string message, bool streamMissing = false) : Exception(message)
{
    /// <summary>
    /// The upstream answered properly that it does not have the stream (HTTP 404, RTMP
    /// StreamNotFound): the path works, so this must not count against the candidate's health.
    /// </summary>
    public bool StreamMissing { get; } = streamMissing;
}
