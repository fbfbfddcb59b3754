namespace Appliance.Relay.Push;

/// <summary>One push target of a stream published here: where it goes and how it fares.</summary>
/// <param name="Target">The target URL, query values masked.</param>
/// <param name="State">connecting, forwarding or waiting (to reconnect after a failure).</param>
/// <param name="Sessions">Sessions opened to the target so far (1 when it never dropped).</param>
public sealed record PushTargetState(string Target, string State, long BytesSent, int Sessions, string? LastError);
