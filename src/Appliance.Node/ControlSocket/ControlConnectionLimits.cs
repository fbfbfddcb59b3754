namespace Appliance.Node.ControlSocket;

/// <summary>Bounds of one control connection (tests shorten them).</summary>
public sealed record ControlConnectionLimits(int IdleMs = 60_000, int ReplyMs = 5_000);
