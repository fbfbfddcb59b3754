namespace Appliance.Load.Hostile;

internal enum HostileOutcome
{
    /// <summary>The run's time was up before this connection's turn.</summary>
    NotStarted,

    /// <summary>The TCP connect itself failed (refused, or no answer).</summary>
    ConnectFailed,

    /// <summary>The server closed the connection (FIN or reset): what a hostile connection must end with.</summary>
    ClosedByServer,

    /// <summary>Still open when its time was up: the load tool closed it itself.</summary>
    LeftOpen,
}

/// <summary>What happened to one hostile connection. Written by its task, read once all are done.</summary>
internal sealed class HostileResult
{
    public HostileResult(HostileKind kind, string target)
    {
        Kind = kind;
        Target = target;
    }

    public HostileKind Kind { get; }

    /// <summary>host:port it went to.</summary>
    public string Target { get; }

    public HostileOutcome Outcome { get; set; }

    /// <summary>Closed by a reset (or a write the server no longer accepted) rather than an orderly FIN.</summary>
    public bool Reset { get; set; }

    /// <summary>From the start of the connect to the close (or to giving up).</summary>
    public double ElapsedMs { get; set; }

    public long BytesReceived { get; set; }

    /// <summary>What the server answered, in a groupable form: an HTTP status line, the RTMP handshake, or nothing.</summary>
    public string Reply { get; set; } = "nothing";

    /// <summary>Why the connect failed.</summary>
    public string? Error { get; set; }
}
