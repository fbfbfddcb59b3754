using System.Text.Json.Serialization;

namespace Appliance.Control.Contract;

/// <summary>One request line: a command and the arguments that command takes.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class ControlRequest
{
    public int Version { get; set; } = ControlProtocol.Version;

    /// <summary>status, streams, sessions, kick, drop, reload, config, routes, drain.</summary>
    public string Command { get; set; } = "";

    /// <summary>kick: the session id.</summary>
    public long? Session { get; set; }

    /// <summary>drop: the stream ("app/name" on the default domain, or "domain/app/name"); sessions: a filter.</summary>
    public string? Stream { get; set; }

    /// <summary>sessions: only this protocol (rtmp-play, http-flv, ...; a prefix such as "rtmp" matches all RTMP).</summary>
    public string? Protocol { get; set; }

    /// <summary>sessions: only clients whose address starts with this.</summary>
    public string? Client { get; set; }

    /// <summary>drain: how long viewers may stay; absent = the configured drain timeout.</summary>
    public int? TimeoutSeconds { get; set; }
}
