namespace Appliance.Load.Targets;

/// <summary>
/// The User-Agent of a player: the node tells HLS players apart by address and User-Agent, so each
/// player of each appliance-load process (several may play one stream) needs its own.
/// </summary>
internal static class PlayerAgent
{
    private static readonly int ProcessId = Environment.ProcessId;

    /// <summary>appliance-load/PID-N for player N; plain appliance-load when negative (no player).</summary>
    public static string Of(int player) => player < 0 ? "appliance-load" : $"appliance-load/{ProcessId}-{player}";
}
