namespace Appliance.Node.Sessions;

/// <summary>Session ids, one sequence for connections and HLS sessions alike, so `kick ID` names exactly one.</summary>
public static class SessionIds
{
    private static long s_last;

    public static long Next() => Interlocked.Increment(ref s_last);
}
