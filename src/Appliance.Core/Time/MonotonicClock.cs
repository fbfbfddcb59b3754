namespace Appliance.Core.Time;

/// <summary>Milliseconds since an arbitrary start, never going backwards; cheap enough for every frame.</summary>
public static class MonotonicClock
{
    public static long NowMs => Environment.TickCount64;
}
