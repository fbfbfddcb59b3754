using System.Text.Json;

namespace Appliance.Control.Contract;

/// <summary>One reply line: ok or an error, and the payload of the command that was asked.</summary>
public sealed class ControlReply
{
    public int Version { get; set; } = ControlProtocol.Version;

    public bool Ok { get; set; }

    public string? Error { get; set; }

    /// <summary>A sentence for the operator (kick, drop, reload, drain).</summary>
    public string? Message { get; set; }

    public StatusReport? Status { get; set; }

    public List<StreamReport>? Streams { get; set; }

    public List<SessionReport>? Sessions { get; set; }

    public List<RouteReport>? Routes { get; set; }

    /// <summary>config: the effective config, secrets masked.</summary>
    public JsonElement? Config { get; set; }

    /// <summary>config: restart-bound keys whose new value in the file waits for a restart (Config shows the running value).</summary>
    public List<string>? PendingRestart { get; set; }

    public static ControlReply Failure(string error) => new() { Ok = false, Error = error };

    public static ControlReply Success(string? message = null) => new() { Ok = true, Message = message };
}
