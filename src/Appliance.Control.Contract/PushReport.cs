namespace Appliance.Control.Contract;

/// <summary>One push target of a stream published here: where it goes and how it fares.</summary>
public sealed class PushReport
{
    /// <summary>The target URL, query values masked.</summary>
    public string Target { get; set; } = "";

    /// <summary>connecting, forwarding or waiting (to reconnect after a failure).</summary>
    public string State { get; set; } = "";

    public long BytesSent { get; set; }

    /// <summary>Sessions opened to the target so far (1 when it never dropped).</summary>
    public int Sessions { get; set; }

    public string? LastError { get; set; }
}
